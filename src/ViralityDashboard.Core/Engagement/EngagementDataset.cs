using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>Trainable rows of scraped videos, labelled with tiers, and the thresholds used.</summary>
public sealed record LabelledDataset(IReadOnlyList<TrainingRow> Rows, TierThresholds Thresholds, int ExcludedCount);

/// <summary>Scraped videos → feature vectors and tier labels, the way a training run sees them.</summary>
public static class EngagementDataset
{
    /// <summary>
    /// Keeps trainable rows only (views &gt; 0, no data-quality flag), computes features and the label
    /// measure, and assigns tiers. Pass the thresholds of a stored calibration baseline (computed in SQL)
    /// to label with them; without, they are computed here from the kept rows.
    /// </summary>
    public static LabelledDataset Build(
        IEnumerable<ScrapedVideoRecord> videos, FeatureSet featureSet, TierScheme scheme,
        WesWeights? wesWeights = null, TierThresholds? thresholds = null)
    {
        var kept = new List<ScrapedVideoRecord>();
        var excluded = 0;
        foreach (var v in videos)
        {
            if (DataQuality.IsTrainable(v.Views, v.Flags))
                kept.Add(v);
            else
                excluded++;
        }
        if (kept.Count == 0)
            throw new ArgumentException("No trainable videos.", nameof(videos));

        var measures = kept.Select(v => LabelMeasure(v, scheme, wesWeights)).ToArray();
        thresholds ??= scheme.ComputeThresholds(measures);
        if (thresholds.Measure != scheme.Measure)
            throw new ArgumentException($"Thresholds measure {thresholds.Measure}, the scheme {scheme.Measure}.", nameof(thresholds));

        var rows = new TrainingRow[kept.Count];
        for (var i = 0; i < kept.Count; i++)
            rows[i] = Row(kept[i], featureSet, thresholds, measures[i]);
        return new LabelledDataset(rows, thresholds, excluded);
    }

    /// <summary>
    /// One trainable video as a labelled row, with thresholds known beforehand (computed in SQL over the same
    /// rows), so a run can turn videos into rows as it reads them instead of holding them all.
    /// </summary>
    public static TrainingRow Row(ScrapedVideoRecord video, FeatureSet featureSet, TierScheme scheme, TierThresholds thresholds, WesWeights? wesWeights = null)
    {
        if (thresholds.Measure != scheme.Measure)
            throw new ArgumentException($"Thresholds measure {thresholds.Measure}, the scheme {scheme.Measure}.", nameof(thresholds));
        return Row(video, featureSet, thresholds, LabelMeasure(video, scheme, wesWeights));
    }

    private static TrainingRow Row(ScrapedVideoRecord video, FeatureSet featureSet, TierThresholds thresholds, double measure) =>
        new(video.VideoId, OnPinnedHeap(FeatureExtractor.Extract(video, featureSet)), thresholds.Assign(measure), video.CreatedAt);

    /// <summary>
    /// A run's features live as long as the run. On the pinned-object heap the garbage collector never copies them
    /// from generation to generation, which, for a million rows read while the app serves requests, was most of
    /// each collection's pause.
    /// </summary>
    private static float[] OnPinnedHeap(float[] features)
    {
        var pinned = GC.AllocateUninitializedArray<float>(features.Length, pinned: true);
        features.CopyTo(pinned, 0);
        return pinned;
    }

    public static double LabelMeasure(ScrapedVideoRecord v, TierScheme scheme, WesWeights? wesWeights = null) => scheme.Measure switch
    {
        TierMeasure.Views => v.Views,
        TierMeasure.Wes => WeightedEngagementScore.Compute(v, wesWeights),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme.Measure, "Unknown measure."),
    };
}
