using Microsoft.ML;
using Microsoft.ML.Data;

namespace ViralityDashboard.Core.Ml;

/// <summary>
/// How much a version leans on each feature overall: the fall in test accuracy when that feature's column is
/// shuffled (ML.NET's permutation feature importance), mean over <see cref="PermutationImportance.Permutations"/> shuffles.
/// </summary>
/// <param name="MacroAccuracyDrop">Fall in macro accuracy (mean per-tier recall); negative: shuffling helped.</param>
/// <param name="AccuracyDrop">Fall in (micro) accuracy.</param>
/// <param name="AccuracyDropStandardError">Standard error of <paramref name="AccuracyDrop"/> over the shuffles.</param>
public sealed record FeatureImportance(string Feature, double MacroAccuracyDrop, double AccuracyDrop, double AccuracyDropStandardError);

public static class PermutationImportance
{
    public const int Permutations = 2;

    /// <summary>
    /// Above this many test rows a seeded sample of this size is scored: the ranking settles long before, and a
    /// forest scoring 15 features × 2 shuffles of a large test side would take as long as its fit.
    /// </summary>
    public const int MaxRows = 2_000;

    /// <summary>Largest drop first. Deterministic for the same model, rows and seed.</summary>
    public static IReadOnlyList<FeatureImportance> Compute(TierModel model, IReadOnlyList<string> featureNames, IReadOnlyList<float[]> x, IReadOnlyList<int> y, int seed)
    {
        if (featureNames.Count != model.FeatureCount)
            throw new ArgumentException($"The model takes {model.FeatureCount} features, {featureNames.Count} names given.", nameof(featureNames));
        if (x.Count != y.Count || x.Count == 0)
            throw new ArgumentException("Permutation importance needs test rows with one label each.", nameof(x));
        var indices = Enumerable.Range(0, x.Count).ToArray();
        if (indices.Length > MaxRows)
            indices = Splits.Stratified(y, (double)MaxRows / x.Count, seed).Test;
        if (model.Ordinal is not null || model.Growth is not null)
            return ByShuffling(model, featureNames, indices.Select(i => x[i]).ToArray(), indices.Select(i => y[i]).ToArray(), seed);
        var rows = indices.Select(i => new TierModelTrainer.TrainingExample { Features = x[i], Label = (uint)(y[i] - 1), Weight = 1f }).ToArray();
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(rows, TierModelTrainer.TrainingSchema(model.FeatureCount));
        var predictor = MlNetModel.Unwrap(model.Net.Transformer) as ISingleFeaturePredictionTransformer<object>
            ?? throw new NotSupportedException("The model's last transformer is not a predictor.");
        var stats = ml.MulticlassClassification.PermutationFeatureImportance(predictor, data, MlNetModel.LabelColumn, permutationCount: Permutations);
        return stats.Select((s, i) => new FeatureImportance(featureNames[i], -s.MacroAccuracy.Mean, -s.MicroAccuracy.Mean, s.MicroAccuracy.StandardError))
            .OrderByDescending(f => f.AccuracyDrop).ThenBy(f => f.Feature, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The same measure for the ordinal form, whose ML.NET predictor is a regression (ML.NET's multiclass permutation
    /// importance needs a predicted label): each feature's column shuffled with a seeded permutation, the tiers
    /// predicted through the cut points, the drops averaged over <see cref="Permutations"/> shuffles.
    /// </summary>
    private static IReadOnlyList<FeatureImportance> ByShuffling(TierModel model, IReadOnlyList<string> featureNames, float[][] x, int[] y, int seed)
    {
        var (baseMicro, baseMacro) = Accuracies(model, x, y);
        var random = new Random(seed);
        var result = new FeatureImportance[featureNames.Count];
        var shuffled = x.Select(r => (float[])r.Clone()).ToArray();
        for (var f = 0; f < featureNames.Count; f++)
        {
            var micro = new double[Permutations];
            var macro = new double[Permutations];
            for (var p = 0; p < Permutations; p++)
            {
                var order = Enumerable.Range(0, x.Length).ToArray();
                random.Shuffle(order);
                for (var i = 0; i < x.Length; i++)
                    shuffled[i][f] = x[order[i]][f];
                var (mi, ma) = Accuracies(model, shuffled, y);
                micro[p] = baseMicro - mi;
                macro[p] = baseMacro - ma;
            }
            for (var i = 0; i < x.Length; i++)
                shuffled[i][f] = x[i][f];
            var mean = micro.Average();
            var standardError = Math.Sqrt(micro.Sum(d => (d - mean) * (d - mean)) / Math.Max(1, Permutations - 1) / Permutations);
            result[f] = new FeatureImportance(featureNames[f], macro.Average(), mean, standardError);
        }
        return result.OrderByDescending(r => r.AccuracyDrop).ThenBy(r => r.Feature, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Micro accuracy and macro accuracy (mean recall over the tiers present), as ML.NET's evaluator reports them.</summary>
    private static (double Micro, double Macro) Accuracies(TierModel model, float[][] x, int[] y)
    {
        var correct = new int[TierModel.TierCount];
        var total = new int[TierModel.TierCount];
        for (var i = 0; i < x.Length; i++)
        {
            total[y[i] - 1]++;
            if (model.PredictTier(x[i]) == y[i])
                correct[y[i] - 1]++;
        }
        var present = Enumerable.Range(0, TierModel.TierCount).Where(t => total[t] > 0).ToArray();
        return ((double)correct.Sum() / x.Length, present.Average(t => (double)correct[t] / total[t]));
    }
}
