using System.Text.Json.Serialization;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace ViralityDashboard.Core.Ml;

/// <summary>Which of the model's numbers an explanation adds up to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExplainedScore>))]
public enum ExplainedScore
{
    /// <summary>The logistic regression's logit of the tier (w·x + b), before the softmax.</summary>
    [JsonStringEnumMemberName("logit")] Logit,
    /// <summary>The tree ensemble's raw score of the tier (its trees' summed or averaged outputs), before softmax or calibration.</summary>
    [JsonStringEnumMemberName("rawScore")] RawScore,
    /// <summary>The ordinal form's one regression score on the tier scale, whose cut points give the tier.</summary>
    [JsonStringEnumMemberName("tierScore")] TierScore,
}

/// <summary>
/// Why the model predicted <paramref name="Tier"/>: <paramref name="BaseValue"/> + Σ <paramref name="Contributions"/>
/// = <paramref name="Score"/>, the model's <paramref name="ScoreKind"/> for that tier (within float rounding).
/// </summary>
/// <param name="Contributions">One per feature, in the model's feature order.</param>
/// <param name="Method">How they were computed: <c>linear</c> (weight × value) or <c>tree-path</c>.</param>
public sealed record TierExplanation(int Tier, ExplainedScore ScoreKind, string Method, double BaseValue, double Score, double[] Contributions);

/// <summary>
/// Splits one tier's score of a fitted predictor into per-feature parts. One implementation per model form
/// (<see cref="For"/> picks it), so a new form (an ordinal regression, say) adds a class, not a branch in TierModel.
/// </summary>
internal abstract class ScoreExplainer
{
    /// <param name="classIndex">Tier − 1.</param>
    public abstract TierExplanation Explain(ReadOnlySpan<float> features, int classIndex);

    /// <exception cref="NotSupportedException">A predictor form without an explainer.</exception>
    public static ScoreExplainer For(object? predictor, LinearTierWeights? linear, int featureCount) => predictor switch
    {
        MaximumEntropyModelParameters when linear is not null => new LinearExplainer(linear),
        OneVersusAllModelParameters ova => new TreeEnsembleExplainer(ova, featureCount),
        // The ordinal form: one regression on the tier, so every tier's question is answered by that one score.
        TreeEnsembleModelParametersBasedOnRegressionTree regression => new TreeEnsembleExplainer(regression, featureCount),
        _ => throw new NotSupportedException($"No explanation for a {predictor?.GetType().Name ?? "missing"} predictor."),
    };
}

/// <summary>Logit of tier c = b_c + Σ w_ci·x_i: the base is the bias, each feature's part its weight × value (as ML.NET's feature contribution calculation for linear models).</summary>
internal sealed class LinearExplainer(LinearTierWeights linear) : ScoreExplainer
{
    public override TierExplanation Explain(ReadOnlySpan<float> features, int classIndex)
    {
        var w = linear.Weights[classIndex];
        var contributions = new double[features.Length];
        double score = linear.Biases[classIndex];
        for (var i = 0; i < features.Length; i++)
        {
            contributions[i] = (double)w[i] * features[i];
            score += contributions[i];
        }
        return new TierExplanation(classIndex + 1, ExplainedScore.Logit, "linear", linear.Biases[classIndex], score, contributions);
    }
}

/// <summary>
/// Path contributions of the trees (Saabas; the path-only form of TreeSHAP): walking from the root to the leaf, each
/// split moves the expected output from its node's value to its child's, and that step is credited to the split's
/// feature. The steps telescope, so base (the roots' values) + contributions = the leaf outputs = the score, exactly.
/// ML.NET keeps no per-node row counts, so a node's value is the plain mean of the leaves below it.
/// ML.NET's own tree contribution calculation is not used: it credits leaf-versus-sibling-leaf differences, which
/// do not add up to the score.
/// </summary>
internal sealed class TreeEnsembleExplainer : ScoreExplainer
{
    private readonly ClassTrees[] _classes;
    private readonly int _featureCount;
    private readonly bool _oneScore;

    public TreeEnsembleExplainer(OneVersusAllModelParameters ova, int featureCount)
    {
        _featureCount = featureCount;
        _classes = SubModels(ova).Select(Flatten).ToArray();
    }

    /// <summary>A single regression ensemble (the ordinal form): its one score stands for every tier.</summary>
    public TreeEnsembleExplainer(TreeEnsembleModelParametersBasedOnRegressionTree regression, int featureCount)
    {
        _featureCount = featureCount;
        _classes = [Flatten(regression.TrainedTreeEnsemble, 1.0)];
        _oneScore = true;
    }

    /// <summary>Each tier's binary model. ML.NET documents SubModelParameters but does not expose it to callers, hence reflection.</summary>
    internal static IReadOnlyList<object> SubModels(OneVersusAllModelParameters ova) =>
        Property(ova, "SubModelParameters") is System.Collections.IEnumerable models
            ? models.Cast<object>().ToArray()
            : throw new NotSupportedException("This ML.NET version's one-versus-all model does not show its per-tier models.");

    /// <summary>The most derived declaration of a property (a generic subclass redeclares its base's).</summary>
    internal static object? Property(object target, string name)
    {
        const System.Reflection.BindingFlags Flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public
            | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly;
        for (var type = target.GetType(); type is not null; type = type.BaseType)
            if (type.GetProperty(name, Flags) is { } property)
                return property.GetValue(target);
        return null;
    }

    public override TierExplanation Explain(ReadOnlySpan<float> features, int classIndex)
    {
        var c = _classes[_oneScore ? 0 : classIndex];
        var contributions = new double[_featureCount];
        var baseValue = c.Bias;
        var score = c.Bias;
        foreach (var tree in c.Trees)
        {
            baseValue += tree.Weight * tree.NodeMeans[0];
            if (tree.Left.Length == 0)
            {
                score += tree.Weight * tree.NodeMeans[0];
                continue;
            }
            var node = 0;
            var value = tree.NodeMeans[0];
            while (true)
            {
                var feature = tree.Feature[node];
                // ML.NET's rule: at most the threshold goes left ("less than or equal" child); NaN goes right.
                var next = features[feature] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
                var nextValue = next < 0 ? tree.Leaves[~next] : tree.NodeMeans[next];
                contributions[feature] += tree.Weight * (nextValue - value);
                value = nextValue;
                if (next < 0)
                    break;
                node = next;
            }
            score += tree.Weight * value;
        }
        return new TierExplanation(classIndex + 1, _oneScore ? ExplainedScore.TierScore : ExplainedScore.RawScore, "tree-path", baseValue, score, contributions);
    }

    private sealed record FlatTree(double Weight, int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaves, double[] NodeMeans);

    private sealed record ClassTrees(double Bias, FlatTree[] Trees);

    private static ClassTrees Flatten(object subModel)
    {
        // One-versus-all forests are calibrated per class (CalibratedModelParametersBase<TSubModel, TCalibrator>, generic
        // in both): the score explained is the uncalibrated one, the calibrator's input.
        var model = Property(subModel, "SubModel") ?? subModel;
        return model switch
        {
            // The ensembles' tree weights and bias already scale the outputs (a test checks the scores against ML.NET's).
            TreeEnsembleModelParametersBasedOnRegressionTree trees => Flatten(trees.TrainedTreeEnsemble, 1.0),
            TreeEnsembleModelParametersBasedOnQuantileRegressionTree trees => Flatten(trees.TrainedTreeEnsemble, 1.0),
            _ => throw new NotSupportedException($"No explanation for a one-versus-all {model.GetType().Name}."),
        };
    }

    private static ClassTrees Flatten<TTree>(TreeEnsemble<TTree> ensemble, double scale) where TTree : RegressionTreeBase =>
        new(ensemble.Bias, ensemble.Trees.Select((t, i) => Flatten(t, ensemble.TreeWeights[i] * scale)).ToArray());

    private static FlatTree Flatten(RegressionTreeBase tree, double weight)
    {
        if (tree.CategoricalSplitFlags.Any(f => f))
            throw new NotSupportedException("Trees with categorical splits are not explained (the features here are all numeric).");
        var leaves = tree.LeafValues.ToArray();
        var left = tree.LeftChild.ToArray();
        var right = tree.RightChild.ToArray();
        var means = new double[Math.Max(1, left.Length)];
        if (left.Length == 0)
            means[0] = leaves.Length > 0 ? leaves[0] : 0;
        else
            MeanOf(0);
        return new FlatTree(weight, left, right, tree.NumericalSplitFeatureIndexes.ToArray(), tree.NumericalSplitThresholds.ToArray(), leaves, means);

        // (sum of leaf values, leaf count) below a node; a negative child is a leaf, ~child its index.
        (double Sum, int Count) MeanOf(int node)
        {
            var (ls, lc) = left[node] < 0 ? (leaves[~left[node]], 1) : MeanOf(left[node]);
            var (rs, rc) = right[node] < 0 ? (leaves[~right[node]], 1) : MeanOf(right[node]);
            means[node] = (ls + rs) / (lc + rc);
            return (ls + rs, lc + rc);
        }
    }
}
