using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ViralityDashboard.Core.Ml;

/// <summary>
/// What the tier and the preference model share as ML.NET models: the fitted transformer with its context and
/// input schema, persisted as ML.NET's zip (which carries the schema), the predictor behind a transformer
/// chain, and prediction engines over the one-vector input row.
/// </summary>
internal sealed class MlNetModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, int featureCount)
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    public MLContext Ml { get; } = ml;

    public ITransformer Transformer { get; } = transformer;

    public int FeatureCount { get; } = featureCount;

    /// <summary>The model parameters of the predictor (the last transformer), or null.</summary>
    public object? Predictor => PredictorOf(Transformer);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Ml.Model.Save(Transformer, inputSchema, stream);
        return stream.ToArray();
    }

    /// <summary>Loads what <see cref="ToBytes"/> wrote; the width comes from its fixed-size Features column.</summary>
    public static MlNetModel FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var ml = new MLContext(seed: 0);
        using var stream = new MemoryStream(bytes, writable: false);
        var transformer = ml.Model.Load(stream, out var schema);
        var featureCount = schema[FeaturesColumn].Type is VectorDataViewType { Size: > 0 } v
            ? v.Size
            : throw new InvalidDataException("The model's input schema has no fixed-size Features column.");
        return new MlNetModel(ml, transformer, schema, featureCount);
    }

    /// <summary>A prediction engine (not thread-safe: pool it) over this model, or over <paramref name="other"/> fitted on the same input.</summary>
    public PredictionEngine<FeatureRow, TOutput> Engine<TOutput>(ITransformer? other = null) where TOutput : class, new() =>
        Ml.Model.CreatePredictionEngine<FeatureRow, TOutput>(other ?? Transformer, ignoreMissingColumns: true, inputSchemaDefinition: VectorSchema<FeatureRow>(FeatureCount));

    /// <summary>Checks that a fit has rows and one target per row; returns the first row's width.</summary>
    public static int CheckRows<TRow>(IReadOnlyList<TRow[]> features, int targets, string target)
    {
        if (features.Count != targets)
            throw new ArgumentException($"Features and {target} differ in length.");
        if (features.Count == 0)
            throw new ArgumentException("Cannot train on no rows.", nameof(features));
        return features[0].Length;
    }

    public static ITransformer Unwrap(ITransformer transformer) =>
        transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;

    /// <summary>The model parameters of the last transformer (the predictor), or null.</summary>
    public static object? PredictorOf(ITransformer transformer) =>
        Unwrap(transformer) is ISingleFeaturePredictionTransformer<object> p ? p.Model : null;

    /// <summary>The schema of <typeparamref name="TRow"/> with its float[] <paramref name="column"/> fixed to <paramref name="featureCount"/>.</summary>
    public static SchemaDefinition VectorSchema<TRow>(int featureCount, string column = FeaturesColumn)
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema[column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }
}

/// <summary>One input row: the feature vector alone, so a loaded model needs no label.</summary>
internal sealed class FeatureRow
{
    public float[] Features { get; set; } = [];
}

/// <summary>
/// Reusable per-caller state (ML.NET prediction engines with their buffers): a PredictionEngine is not
/// thread-safe, so each concurrent caller takes its own and gives it back.
/// </summary>
internal sealed class EnginePool<TSlot>(Func<TSlot> create) where TSlot : class
{
    private readonly ConcurrentBag<TSlot> _slots = [];

    public TSlot Rent() => _slots.TryTake(out var slot) ? slot : create();

    public void Return(TSlot slot) => _slots.Add(slot);
}
