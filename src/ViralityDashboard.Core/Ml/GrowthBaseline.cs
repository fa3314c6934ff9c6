using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Ml;

/// <summary>
/// Szabo &amp; Huberman (2010), "Predicting the popularity of online content": a video's matured measure is its measure
/// at observation × the median matured/observed ratio of the training videos observed at a similar age. No model, and
/// on real histories better than a classifier trained on latest counts: the bar any early model must clear.
/// </summary>
/// <param name="BucketUpperHours">Upper bounds (exclusive) of the age buckets; the last bucket is everything older.</param>
/// <param name="Ratios">Median matured/observed ratio per bucket (one more than the bounds); the overall median where a bucket had no rows.</param>
public sealed record GrowthRule(double[] BucketUpperHours, double[] Ratios, TierThresholds Thresholds)
{
    /// <summary>Under 6 h, 6–24 h, 1–2 d, 2–4 d, older.</summary>
    public static double[] DefaultBuckets { get; } = [6, 24, 48, 96];

    /// <summary>Fits the ratios on rows that carry observations (<see cref="TrainingRow.Seen"/>).</summary>
    public static GrowthRule Fit(IEnumerable<Observation> observations, TierThresholds thresholds, double[]? buckets = null)
    {
        buckets ??= DefaultBuckets;
        var perBucket = Enumerable.Range(0, buckets.Length + 1).Select(_ => new List<double>()).ToArray();
        var all = new List<double>();
        foreach (var o in observations)
        {
            // Counts only grow; a measure of 0 at observation (no views yet) has no ratio, so it counts as 1.
            var ratio = o.MaturedMeasure / Math.Max(o.Measure, 1);
            perBucket[Bucket(buckets, o.AgeHours)].Add(ratio);
            all.Add(ratio);
        }
        if (all.Count == 0)
            throw new ArgumentException("The growth baseline needs at least one observed row.", nameof(observations));
        var overall = PercentileCont.Of(all, 0.5);
        return new GrowthRule(buckets, perBucket.Select(b => b.Count == 0 ? overall : PercentileCont.Of(b, 0.5)).ToArray(), thresholds);
    }

    public double PredictMeasure(double observedMeasure, double ageHours) => Math.Max(observedMeasure, 0) * Ratios[Bucket(BucketUpperHours, ageHours)];

    public int PredictTier(double observedMeasure, double ageHours) => Thresholds.Assign(PredictMeasure(observedMeasure, ageHours));

    private static int Bucket(double[] buckets, double ageHours)
    {
        var i = 0;
        while (i < buckets.Length && ageHours >= buckets[i])
            i++;
        return i;
    }

    /// <summary>The baseline's figures: fitted on <paramref name="train"/>, scored on <paramref name="test"/> (rows with observations).</summary>
    public static ClassificationMetrics Evaluate(IReadOnlyList<Observation> train, IReadOnlyList<(Observation Seen, int Label)> test, TierThresholds thresholds)
    {
        var rule = Fit(train, thresholds);
        var actual = test.Select(t => t.Label).ToArray();
        var predicted = test.Select(t => rule.PredictTier(t.Seen.Measure, t.Seen.AgeHours)).ToArray();
        return Metrics.Evaluate(actual, predicted);
    }
}
