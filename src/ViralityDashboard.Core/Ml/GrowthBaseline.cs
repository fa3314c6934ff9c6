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

/// <summary>
/// The growth rule as a tier model over a feature vector: it reads the views and the age back from the set's
/// <c>logViews</c> and <c>logAgeHours</c> features, so it is served like any other version. Its probabilities put
/// <see cref="Confidence"/> on the rule's tier and share the rest.
/// </summary>
public sealed record GrowthModel(int FeatureCount, int ViewsIndex, int AgeIndex, GrowthRule Rule)
{
    public const float Confidence = 0.8f;

    /// <summary>Why a run cannot serve the growth rule with this set and tiers of this measure (null: no thresholds); null when it can.</summary>
    public static string? Unservable(FeatureSet set, TierMeasure? measure) =>
        set.IndexOf(EarlyFeatures.LogViews) < 0 || set.IndexOf(EarlyFeatures.LogAgeHours) < 0
            ? $"The growth trainer reads views and age at observation: feature set '{set.Name}' has no {EarlyFeatures.LogViews} and {EarlyFeatures.LogAgeHours} (use {FeatureSet.EarlyName})."
        : measure is null ? "The growth trainer needs the run's thresholds (it cannot train on the bundled fallback set)."
        : measure != TierMeasure.Views ? "The growth trainer extrapolates views: it needs view tiers (--tiers views)."
        : null;

    public static GrowthModel Fit(FeatureSet set, IEnumerable<Observation> observations, TierThresholds? thresholds)
    {
        if (Unservable(set, thresholds?.Measure) is { } why)
            throw new ArgumentException(why, nameof(set));
        var seen = observations.ToArray();
        if (seen.Length == 0)
            throw new ArgumentException("The growth trainer needs point-in-time rows (--rows point-in-time): rows that know the views at observation and at maturity.", nameof(observations));
        return new GrowthModel(set.Count, set.IndexOf(EarlyFeatures.LogViews), set.IndexOf(EarlyFeatures.LogAgeHours), GrowthRule.Fit(seen, thresholds!));
    }

    public int PredictTier(ReadOnlySpan<float> features)
    {
        // The inverse of the features' encoding (FeatureExtractor); float precision keeps views to a few parts per million.
        var views = Math.Pow(10, features[ViewsIndex] * EarlyFeatures.LogViewsScale) - 1;
        var hours = Math.Pow(10, features[AgeIndex] * EarlyFeatures.LogAgeScale) - 1;
        return Rule.PredictTier(views, hours);
    }

    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        var tier = PredictTier(features);
        probabilities.Fill((1 - Confidence) / (probabilities.Length - 1));
        probabilities[tier - 1] = Confidence;
    }
}
