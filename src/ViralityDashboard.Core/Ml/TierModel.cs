using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ViralityDashboard.Core.Ml;

/// <summary>Per-tier weights and biases of the linear model, in feature units (features are 0–1).</summary>
/// <param name="Weights">Weights[tier − 1][feature].</param>
public sealed record LinearTierWeights(float[][] Weights, float[] Biases);

/// <summary>
/// A trained 5-tier classifier. Thread-safe. The linear model predicts with its own softmax over the
/// extracted weights (no ML.NET call, a few hundred nanoseconds); tree models go through a pool of
/// ML.NET prediction engines, one per concurrent caller, because a PredictionEngine is not thread-safe.
/// Persisted as ML.NET's model zip, which carries the input schema.
/// </summary>
public sealed class TierModel
{
    public const int TierCount = 5;

    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly ConcurrentBag<EngineSlot> _engines = [];

    private TierModel(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, TrainerKind kind, int featureCount, LinearTierWeights? linear)
    {
        _ml = ml;
        _transformer = transformer;
        _inputSchema = inputSchema;
        Kind = kind;
        FeatureCount = featureCount;
        LinearWeights = linear;
    }

    public TrainerKind Kind { get; }

    public int FeatureCount { get; }

    /// <summary>Set for the logistic regression only.</summary>
    public LinearTierWeights? LinearWeights { get; }

    internal static TierModel Create(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, TrainerKind kind, int featureCount)
    {
        LinearTierWeights? linear = null;
        if (PredictorOf(transformer) is MaximumEntropyModelParameters maxEnt)
        {
            VBuffer<float>[] buffers = [];
            maxEnt.GetWeights(ref buffers, out var classes);
            var weights = new float[classes][];
            for (var c = 0; c < classes; c++)
            {
                weights[c] = new float[featureCount];
                buffers[c].CopyTo(weights[c]);
            }
            linear = new LinearTierWeights(weights, maxEnt.GetBiases().ToArray());
        }
        return new TierModel(ml, transformer, inputSchema, kind, featureCount, linear);
    }

    public float[] PredictProbabilities(ReadOnlySpan<float> features)
    {
        var result = new float[TierCount];
        PredictProbabilities(features, result);
        return result;
    }

    /// <summary>Writes P(tier 1..5) into <paramref name="probabilities"/> (length 5).</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        if (probabilities.Length != TierCount)
            throw new ArgumentException($"Expected room for {TierCount} probabilities.", nameof(probabilities));
        if (LinearWeights is { } linear)
            Softmax(linear, features, probabilities);
        else
            PredictWithEngine(features, probabilities);
    }

    public int PredictTier(ReadOnlySpan<float> features)
    {
        Span<float> p = stackalloc float[TierCount];
        PredictProbabilities(features, p);
        return Metrics.ArgMaxTier(p);
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        _ml.Model.Save(_transformer, _inputSchema, stream);
        return stream.ToArray();
    }

    /// <summary>Loads a model saved by <see cref="ToBytes"/>; <paramref name="kind"/> is the kind it was trained as.</summary>
    public static TierModel FromBytes(byte[] bytes, TrainerKind kind)
    {
        var ml = new MLContext(seed: 0);
        using var stream = new MemoryStream(bytes, writable: false);
        var transformer = ml.Model.Load(stream, out var schema);
        var featureColumn = schema[TierModelTrainer.FeaturesColumn];
        var featureCount = featureColumn.Type is VectorDataViewType { Size: > 0 } v
            ? v.Size
            : throw new InvalidDataException("The model's input schema has no fixed-size Features column.");
        // LightGBM and the forest both load as one-versus-all predictors: the kind comes from the registry.
        var isLinear = PredictorOf(transformer) is MaximumEntropyModelParameters;
        if (isLinear != (kind == TrainerKind.Lbfgs))
            throw new InvalidDataException($"The model bytes do not hold a {kind} model.");
        return Create(ml, transformer, schema, kind, featureCount);
    }

    private static object? PredictorOf(ITransformer transformer)
    {
        var last = transformer is TransformerChain<ITransformer> chain ? chain.LastTransformer : transformer;
        return last is ISingleFeaturePredictionTransformer<object> p ? p.Model : null;
    }

    private static void Softmax(LinearTierWeights linear, ReadOnlySpan<float> x, Span<float> p)
    {
        var max = float.NegativeInfinity;
        for (var c = 0; c < TierCount; c++)
        {
            var w = linear.Weights[c];
            var s = linear.Biases[c];
            for (var i = 0; i < x.Length; i++)
                s += w[i] * x[i];
            p[c] = s;
            if (s > max) max = s;
        }
        float sum = 0;
        for (var c = 0; c < TierCount; c++)
        {
            p[c] = MathF.Exp(p[c] - max);
            sum += p[c];
        }
        for (var c = 0; c < TierCount; c++)
            p[c] /= sum;
    }

    /// <summary>ML.NET's own prediction, bypassing the linear fast path; tests compare the two.</summary>
    internal float[] PredictProbabilitiesWithMlNet(ReadOnlySpan<float> features)
    {
        var result = new float[TierCount];
        PredictWithEngine(features, result);
        return result;
    }

    private void PredictWithEngine(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        if (!_engines.TryTake(out var slot))
            slot = new EngineSlot(_ml.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(
                _transformer, ignoreMissingColumns: true, inputSchemaDefinition: InputSchema(FeatureCount)), FeatureCount);
        try
        {
            features.CopyTo(slot.Input.Features);
            slot.Engine.Predict(slot.Input, ref slot.Output);
            var scores = slot.Output.Score;
            // One-versus-all scores are per-class probabilities that need not sum to 1.
            float sum = 0;
            for (var c = 0; c < TierCount; c++)
                sum += scores[c];
            for (var c = 0; c < TierCount; c++)
                probabilities[c] = sum > 0 ? scores[c] / sum : 1f / TierCount;
        }
        finally
        {
            _engines.Add(slot);
        }
    }

    private static SchemaDefinition InputSchema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    private sealed class EngineSlot(PredictionEngine<FeatureRow, ScoreRow> engine, int featureCount)
    {
        public PredictionEngine<FeatureRow, ScoreRow> Engine { get; } = engine;
        public FeatureRow Input { get; } = new() { Features = new float[featureCount] };
        public ScoreRow Output = new();
    }

    internal sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
