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
        // The ordinal form is a regression on the tier: ML.NET's multiclass importance needs a PredictedLabel column it
        // has not got ("PredictedLabel column not found"), so its tiers are permuted and scored here instead.
        if (model.Ordinal is not null)
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

    /// <summary>The same measure by hand, from the model's tiers: each column shuffled <see cref="Permutations"/> times.</summary>
    private static FeatureImportance[] ByShuffling(TierModel model, IReadOnlyList<string> featureNames, float[][] x, int[] y, int seed)
    {
        var (accuracy, macro) = Score(model, x, y);
        var random = new Random(seed);
        var result = new FeatureImportance[featureNames.Count];
        for (var f = 0; f < featureNames.Count; f++)
        {
            var drops = new double[Permutations];
            var macroDrops = new double[Permutations];
            for (var p = 0; p < Permutations; p++)
            {
                var column = x.Select(r => r[f]).ToArray();
                random.Shuffle(column);
                var shuffled = x.Select((r, i) => { var copy = (float[])r.Clone(); copy[f] = column[i]; return copy; }).ToArray();
                var (a, m) = Score(model, shuffled, y);
                drops[p] = accuracy - a;
                macroDrops[p] = macro - m;
            }
            var mean = drops.Average();
            var error = Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / Math.Max(1, Permutations - 1)) / Math.Sqrt(Permutations);
            result[f] = new FeatureImportance(featureNames[f], macroDrops.Average(), mean, error);
        }
        return result.OrderByDescending(f => f.AccuracyDrop).ThenBy(f => f.Feature, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Accuracy and macro accuracy (mean per-tier recall over the tiers present), as ML.NET defines them.</summary>
    private static (double Accuracy, double Macro) Score(TierModel model, float[][] x, int[] y)
    {
        var predicted = x.Select(r => model.PredictTier(r)).ToArray();
        var accuracy = predicted.Where((t, i) => t == y[i]).Count() / (double)y.Length;
        var macro = y.Distinct().Average(tier => predicted.Where((t, i) => y[i] == tier && t == tier).Count() / (double)y.Count(v => v == tier));
        return (accuracy, macro);
    }
}
