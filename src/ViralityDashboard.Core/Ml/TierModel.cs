using System.IO.Compression;
using System.Text.Json;
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
/// Persisted as ML.NET's model zip, which carries the input schema. The ordinal form (a regression on the tier)
/// adds its cut points to that zip as one more entry, which ML.NET's loader ignores.
/// </summary>
public sealed class TierModel
{
    public const int TierCount = 5;

    private readonly MlNetModel? _net;
    private const string GrowthMarker = "growth-rule:";
    private const string OrdinalEntry = "ViralityDashboard/ordinal-cuts.json";
    private ScoreExplainer? _explainer;

    private readonly EnginePool<EngineSlot> _engines;
    private readonly EnginePool<RegressionSlot> _regressionEngines;

    private TierModel(GrowthModel growth)
    {
        Kind = TrainerKind.Growth;
        Growth = growth;
        _engines = new EnginePool<EngineSlot>(() => throw new NotSupportedException("The growth rule has no ML.NET engine."));
        _regressionEngines = new EnginePool<RegressionSlot>(() => throw new NotSupportedException("The growth rule has no ML.NET engine."));
    }

    /// <summary>The growth rule served as a version (<see cref="TrainerKind.Growth"/>).</summary>
    public static TierModel ForGrowth(GrowthModel growth) => new(growth);

    /// <summary>Set for the growth rule only.</summary>
    public GrowthModel? Growth { get; }

    private TierModel(MlNetModel net, TrainerKind kind, LinearTierWeights? linear, OrdinalCuts? ordinal = null)
    {
        _net = net;
        Kind = kind;
        LinearWeights = linear;
        Ordinal = ordinal;
        _engines = new EnginePool<EngineSlot>(() => new EngineSlot(net.Engine<ScoreRow>(), net.FeatureCount));
        _regressionEngines = new EnginePool<RegressionSlot>(() => new RegressionSlot(net.Engine<RegressionScoreRow>(), net.FeatureCount));
    }

    /// <summary>Set for the ordinal form only: the cut points that turn its tier score into a tier.</summary>
    public OrdinalCuts? Ordinal { get; }

    public TrainerKind Kind { get; }

    public int FeatureCount => Growth?.FeatureCount ?? _net!.FeatureCount;

    /// <summary>Set for the logistic regression only.</summary>
    public LinearTierWeights? LinearWeights { get; }

    internal static TierModel Create(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, TrainerKind kind, int featureCount) =>
        Create(new MlNetModel(ml, transformer, inputSchema, featureCount), kind);

    internal static TierModel CreateOrdinal(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, int featureCount, OrdinalCuts cuts) =>
        new(new MlNetModel(ml, transformer, inputSchema, featureCount), TrainerKind.LightGbmOrdinal, null, cuts);

    /// <summary>The ordinal form's score on the tier scale (about 1–5), before the cut points; null for the other forms.</summary>
    public float? TierScore(ReadOnlySpan<float> features)
    {
        if (Ordinal is null)
            return null;
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        return RegressionScore(features);
    }

    private static TierModel Create(MlNetModel net, TrainerKind kind)
    {
        var featureCount = net.FeatureCount;
        LinearTierWeights? linear = null;
        if (net.Predictor is MaximumEntropyModelParameters maxEnt)
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
        return new TierModel(net, kind, linear);
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
        if (Growth is { } growth)
            growth.PredictProbabilities(features, probabilities);
        else if (LinearWeights is { } linear)
            Softmax(linear, features, probabilities);
        else if (Ordinal is { } ordinal)
            ordinal.Probabilities(RegressionScore(features), probabilities);
        else
            PredictWithEngine(features, probabilities);
    }

    public int PredictTier(ReadOnlySpan<float> features)
    {
        Span<float> p = stackalloc float[TierCount];
        PredictProbabilities(features, p);
        return Metrics.ArgMaxTier(p);
    }

    /// <summary>
    /// The predicted tier (as <see cref="PredictTier"/>) with its score split into a base value and one part per
    /// feature; see <see cref="TierExplanation"/> for which score each model form explains.
    /// </summary>
    /// <exception cref="NotSupportedException">A model form without an explainer.</exception>
    public TierExplanation Explain(ReadOnlySpan<float> features) => Explain(features, PredictTier(features));

    /// <summary>As <see cref="Explain(ReadOnlySpan{float})"/>, for any tier 1..5.</summary>
    public TierExplanation Explain(ReadOnlySpan<float> features, int tier)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        if (tier is < 1 or > TierCount)
            throw new ArgumentOutOfRangeException(nameof(tier), tier, $"Tiers lie in 1..{TierCount}.");
        if (Growth is not null)
            throw new NotSupportedException("The growth rule is the views at observation × the typical growth for its age; it has no per-feature contributions.");
        // Built on first use: the tree walk needs the trees flattened once, and a model that is never explained pays nothing.
        var explainer = LazyInitializer.EnsureInitialized(ref _explainer, () => ScoreExplainer.For(Net.Predictor, LinearWeights, FeatureCount));
        return explainer.Explain(features, tier - 1);
    }

    internal MlNetModel Net => _net ?? throw new NotSupportedException("The growth rule is not an ML.NET model.");

    /// <summary>The ML.NET model parameters; tests check explanations against them.</summary>
    internal object? Predictor => Net.Predictor;

    public byte[] ToBytes()
    {
        // The rule is a few numbers: stored as its JSON behind a marker, not as an ML.NET zip.
        if (Growth is { } growth)
            return System.Text.Encoding.UTF8.GetBytes(GrowthMarker + JsonSerializer.Serialize(growth));
        var bytes = Net.ToBytes();
        if (Ordinal is null)
            return bytes;
        using var stream = new MemoryStream();
        stream.Write(bytes);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var entry = zip.CreateEntry(OrdinalEntry).Open();
            JsonSerializer.Serialize(entry, Ordinal);
        }
        return stream.ToArray();
    }

    /// <summary>Loads a model saved by <see cref="ToBytes"/>; <paramref name="kind"/> is the kind it was trained as.</summary>
    public static TierModel FromBytes(byte[] bytes, TrainerKind kind)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes(GrowthMarker);
        var isGrowth = bytes.AsSpan().StartsWith(marker);
        if (isGrowth != (kind == TrainerKind.Growth))
            throw new InvalidDataException($"The model bytes do not hold a {kind} model.");
        if (isGrowth)
            return new TierModel(JsonSerializer.Deserialize<GrowthModel>(bytes.AsSpan(marker.Length)) ?? throw new InvalidDataException("Empty growth rule."));
        var net = MlNetModel.FromBytes(bytes);
        var ordinal = ReadOrdinal(bytes);
        // LightGBM and the forest both load as one-versus-all predictors: the kind comes from the registry.
        var isLinear = net.Predictor is MaximumEntropyModelParameters;
        if (isLinear != (kind == TrainerKind.Lbfgs) || (ordinal is not null) != (kind == TrainerKind.LightGbmOrdinal))
            throw new InvalidDataException($"The model bytes do not hold a {kind} model.");
        return ordinal is null ? Create(net, kind) : new TierModel(net, kind, null, ordinal);
    }

    private static OrdinalCuts? ReadOrdinal(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        if (zip.GetEntry(OrdinalEntry) is not { } entry)
            return null;
        using var stream = entry.Open();
        return JsonSerializer.Deserialize<OrdinalCuts>(stream) ?? throw new InvalidDataException("Empty ordinal cut points.");
    }

    private float RegressionScore(ReadOnlySpan<float> features)
    {
        var slot = _regressionEngines.Rent();
        try
        {
            features.CopyTo(slot.Input.Features);
            slot.Engine.Predict(slot.Input, ref slot.Output);
            return slot.Output.Score;
        }
        finally
        {
            _regressionEngines.Return(slot);
        }
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
        var slot = _engines.Rent();
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
            _engines.Return(slot);
        }
    }

    private sealed class EngineSlot(PredictionEngine<FeatureRow, ScoreRow> engine, int featureCount)
    {
        public PredictionEngine<FeatureRow, ScoreRow> Engine { get; } = engine;
        public FeatureRow Input { get; } = new() { Features = new float[featureCount] };
        public ScoreRow Output = new();
    }

    private sealed class RegressionSlot(PredictionEngine<FeatureRow, RegressionScoreRow> engine, int featureCount)
    {
        public PredictionEngine<FeatureRow, RegressionScoreRow> Engine { get; } = engine;
        public FeatureRow Input { get; } = new() { Features = new float[featureCount] };
        public RegressionScoreRow Output = new();
    }

    internal sealed class RegressionScoreRow
    {
        public float Score { get; set; }
    }

    internal sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
