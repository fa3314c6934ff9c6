using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Preference;

[JsonConverter(typeof(JsonStringEnumConverter<PreferenceModelKind>))]
public enum PreferenceModelKind
{
    /// <summary>L2-regularised least squares solved exactly (seed 003 §5.1's initial model).</summary>
    Ridge,
    /// <summary>ML.NET FastForest regression (seed 003 §5.1's advanced model).</summary>
    RandomForest,
    /// <summary>ML.NET LightGBM regression (gradient boosting).</summary>
    LightGbm,
}

/// <summary>A ridge model: score = intercept + Σ coefficientᵢ · xᵢ over the normalized vector.</summary>
public sealed record LinearPreferenceWeights(double Alpha, double Intercept, double[] Coefficients);

/// <summary>
/// A trained preference regressor over a normalized feature vector; predicts the 0–1 overall score.
/// Thread-safe: ridge predicts with its own dot product, trees through a pool of ML.NET prediction
/// engines (a PredictionEngine is not thread-safe). Ridge persists as JSON, trees as ML.NET's zip.
/// </summary>
public sealed class PreferenceModel
{
    private readonly MlNetModel? _net;
    private readonly EnginePool<EngineSlot>? _engines;
    private readonly (RegressionTreeBase Tree, double Weight)[] _trees;

    private PreferenceModel(PreferenceModelKind kind, int featureCount, LinearPreferenceWeights? linear, double[] importances,
        MlNetModel? net = null, ITransformer? contributions = null)
    {
        Kind = kind;
        FeatureCount = featureCount;
        Linear = linear;
        Importances = importances;
        _net = net;
        _trees = net is null ? [] : Trees(net.Predictor);
        if (net is not null)
            _engines = new EnginePool<EngineSlot>(() => new EngineSlot(net.Engine<ScoreRow>(), net.Engine<ContributionRow>(contributions), featureCount));
    }

    public PreferenceModelKind Kind { get; }

    public int FeatureCount { get; }

    /// <summary>Set for ridge only.</summary>
    public LinearPreferenceWeights? Linear { get; }

    /// <summary>
    /// One weight per feature, as stored with the version: ridge coefficients (signed), or for trees
    /// ML.NET's split-gain importances (<c>GetFeatureWeights</c>, non-negative).
    /// </summary>
    public double[] Importances { get; }

    public static PreferenceModel FromLinear(LinearPreferenceWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new PreferenceModel(PreferenceModelKind.Ridge, weights.Coefficients.Length, weights, weights.Coefficients);
    }

    internal static PreferenceModel FromTrees(PreferenceModelKind kind, MLContext ml, ITransformer predictor, DataViewSchema inputSchema, int featureCount) =>
        FromTrees(kind, new MlNetModel(ml, predictor, inputSchema, featureCount));

    private static PreferenceModel FromTrees(PreferenceModelKind kind, MlNetModel net)
    {
        var (ml, predictor, featureCount) = (net.Ml, net.Transformer, net.FeatureCount);
        var trees = net.Predictor as TreeEnsembleModelParameters
            ?? throw new InvalidDataException($"The model bytes do not hold a tree ensemble for {kind}.");
        var buffer = default(VBuffer<float>);
        trees.GetFeatureWeights(ref buffer);
        var importances = new double[featureCount];
        foreach (var (index, value) in buffer.Items())
            importances[index] = value;

        // Contributions come from ML.NET's own calculation (the change in the tree outputs along each
        // example's decision path, attributed to the split feature), unnormalized so they are in score units.
        var scorer = (ISingleFeaturePredictionTransformer<ICalculateFeatureContribution>)MlNetModel.Unwrap(predictor);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), MlNetModel.VectorSchema<FeatureRow>(featureCount));
        var contributions = ml.Transforms
            .CalculateFeatureContribution(scorer, numberOfPositiveContributions: featureCount, numberOfNegativeContributions: featureCount, normalize: false)
            .Fit(empty);
        return new PreferenceModel(kind, featureCount, null, importances, net, contributions);
    }

    public double Predict(ReadOnlySpan<double> features)
    {
        CheckLength(features);
        if (Linear is { } linear)
        {
            var s = linear.Intercept;
            for (var i = 0; i < features.Length; i++)
                s += linear.Coefficients[i] * features[i];
            return s;
        }

        return RunEngine(features, contributions: null);
    }

    /// <summary>
    /// Each feature's share of the prediction: value × weight for ridge (the intercept is not a factor);
    /// ML.NET's feature contribution calculation for trees.
    /// </summary>
    public double[] Contributions(ReadOnlySpan<double> features)
    {
        CheckLength(features);
        var result = new double[FeatureCount];
        if (Linear is { } linear)
        {
            for (var i = 0; i < features.Length; i++)
                result[i] = linear.Coefficients[i] * features[i];
            return result;
        }

        RunEngine(features, result);
        return result;
    }

    /// <summary>
    /// Each tree's output for this vector (weight × the leaf it falls in), read straight from ML.NET's public
    /// tree structure: a walk of 100 small trees, no prediction engine. Empty for ridge. For the random forest,
    /// whose prediction is the trees' mean, their spread is the trees' disagreement (the rating queue's uncertainty).
    /// </summary>
    public double[] TreeOutputs(ReadOnlySpan<double> features)
    {
        CheckLength(features);
        var outputs = new double[_trees.Length];
        for (var t = 0; t < _trees.Length; t++)
            outputs[t] = _trees[t].Weight * Leaf(_trees[t].Tree, features);
        return outputs;
    }

    private static (RegressionTreeBase, double)[] Trees(object? parameters)
    {
        (IEnumerable<RegressionTreeBase> Trees, IReadOnlyList<double> Weights) ensemble = parameters switch
        {
            TreeEnsembleModelParametersBasedOnRegressionTree r => (r.TrainedTreeEnsemble.Trees, r.TrainedTreeEnsemble.TreeWeights),
            TreeEnsembleModelParametersBasedOnQuantileRegressionTree q => (q.TrainedTreeEnsemble.Trees, q.TrainedTreeEnsemble.TreeWeights),
            _ => ([], []),
        };
        return ensemble.Trees.Select((tree, i) => (tree, i < ensemble.Weights.Count ? ensemble.Weights[i] : 1.0)).ToArray();
    }

    /// <summary>FastTree's rule: value ≤ threshold goes to the left child; a negative child index ~i is leaf i.</summary>
    private static double Leaf(RegressionTreeBase tree, ReadOnlySpan<double> features)
    {
        if (tree.NumberOfLeaves <= 1)
            return tree.LeafValues.Count == 0 ? 0 : tree.LeafValues[0];
        var node = 0;
        while (node >= 0)
        {
            var x = (float)features[tree.NumericalSplitFeatureIndexes[node]];
            node = x <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
        }
        return tree.LeafValues[~node];
    }

    public byte[] ToBytes()
    {
        if (Linear is { } linear)
            return JsonSerializer.SerializeToUtf8Bytes(linear, FeatureNormalizer.JsonOptions);
        return _net!.ToBytes();
    }

    /// <summary>Loads what <see cref="ToBytes"/> wrote; the kind comes from the registry, as for the tier model.</summary>
    public static PreferenceModel FromBytes(byte[] bytes, PreferenceModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (kind == PreferenceModelKind.Ridge)
        {
            var linear = JsonSerializer.Deserialize<LinearPreferenceWeights>(bytes, FeatureNormalizer.JsonOptions)
                ?? throw new InvalidDataException("The ridge model bytes are empty.");
            return FromLinear(linear);
        }

        return FromTrees(kind, MlNetModel.FromBytes(bytes));
    }

    private void CheckLength(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
    }

    private double RunEngine(ReadOnlySpan<double> features, double[]? contributions)
    {
        var slot = _engines!.Rent();
        try
        {
            for (var i = 0; i < features.Length; i++)
                slot.Input.Features[i] = (float)features[i];
            slot.Scorer.Predict(slot.Input, ref slot.Score);
            if (contributions is not null)
            {
                slot.Explainer.Predict(slot.Input, ref slot.Contribution);
                var values = slot.Contribution.FeatureContributions;
                for (var i = 0; i < contributions.Length && i < values.Length; i++)
                    contributions[i] = values[i];
            }

            return slot.Score.Score;
        }
        finally
        {
            _engines.Return(slot);
        }
    }

    private sealed class EngineSlot(PredictionEngine<FeatureRow, ScoreRow> scorer, PredictionEngine<FeatureRow, ContributionRow> explainer, int featureCount)
    {
        public PredictionEngine<FeatureRow, ScoreRow> Scorer { get; } = scorer;
        public PredictionEngine<FeatureRow, ContributionRow> Explainer { get; } = explainer;
        public FeatureRow Input { get; } = new() { Features = new float[featureCount] };
        public ScoreRow Score = new();
        public ContributionRow Contribution = new();
    }

    internal sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    internal sealed class ContributionRow
    {
        public float[] FeatureContributions { get; set; } = [];
    }
}
