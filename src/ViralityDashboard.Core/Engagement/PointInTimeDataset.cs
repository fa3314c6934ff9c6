using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>One scrape of a video: its cumulative counts at <paramref name="At"/> (a <c>video_snapshots</c> row).</summary>
public readonly record struct ScrapeCounts(DateTimeOffset At, long Views, long Likes, long Shares, long? Comments, long? Saves);

/// <summary>A video's metadata with its scrapes, oldest first.</summary>
public sealed record VideoHistory(ScrapedVideoRecord Video, IReadOnlyList<ScrapeCounts> Scrapes);

/// <summary>How point-in-time rows are cut from histories.</summary>
/// <param name="MatureAfterDays">A snapshot this many days after posting (after first seen when the posting time is unknown) is matured.</param>
/// <param name="HorizonHours">
/// 0: one row per video, from its first snapshot (what the scoring job sees). Above 0: every snapshot taken before the
/// matured one and younger than this many hours is a row of its own (the first snapshot always is).
/// </param>
public sealed record PointInTimeOptions(int MatureAfterDays = 7, double HorizonHours = 0);

/// <summary>Point-in-time rows with their thresholds and the report of which videos gave them.</summary>
/// <param name="Served">One row per video: features as first seen, tier as matured; what served accuracy is measured on.</param>
public sealed record PointInTimeDataset(IReadOnlyList<TrainingRow> Rows, IReadOnlyList<TrainingRow> Served, TierThresholds Thresholds, RowsReport Report);

/// <summary>
/// Scrape histories → training rows that ask the question a creator asks: features of the video as observed young,
/// tier of its matured counts. The label is the video's latest snapshot once it is at least
/// <see cref="PointInTimeOptions.MatureAfterDays"/> old; features come from a snapshot strictly before it.
/// </summary>
public static class PointInTimeRows
{
    /// <summary>The matured scrape's index (the latest, when it is mature) and whether an earlier one exists; null when not matured.</summary>
    public static int? MaturedIndex(VideoHistory history, int matureAfterDays)
    {
        var scrapes = history.Scrapes;
        if (scrapes.Count == 0)
            return null;
        var origin = history.Video.CreatedAt ?? scrapes[0].At;
        return scrapes[^1].At >= origin.AddDays(matureAfterDays) ? scrapes.Count - 1 : null;
    }

    /// <summary>
    /// Rows of the histories that have a matured snapshot and an earlier one, labelled by thresholds computed from the
    /// matured measures of those videos (or <paramref name="thresholds"/> when given: a <c>latest</c> run's served rows).
    /// </summary>
    public static PointInTimeDataset Build(
        IEnumerable<VideoHistory> histories, FeatureSet featureSet, TierScheme scheme, PointInTimeOptions options,
        WesWeights? wesWeights = null, TierThresholds? thresholds = null, int skippedNotMatured = 0, int skippedNoEarlier = 0)
    {
        var usable = new List<(VideoHistory History, int Matured, double MaturedMeasure)>();
        foreach (var h in histories)
        {
            var matured = MaturedIndex(h, options.MatureAfterDays);
            if (matured is null)
                skippedNotMatured++;
            else if (matured == 0)
                skippedNoEarlier++;
            else
            {
                var measure = Measure(h.Video, h.Scrapes[matured.Value], scheme, wesWeights);
                if (measure is { } m)
                    usable.Add((h, matured.Value, m));
                else
                    skippedNotMatured++; // WES of counts whose comments are turned off: no outcome to learn
            }
        }
        if (usable.Count == 0)
            return new PointInTimeDataset([], [], thresholds ?? scheme.ComputeThresholds([0]),
                new RowsReport(TrainingRowsMode.PointInTime, 0, 0, skippedNotMatured, skippedNoEarlier));

        thresholds ??= scheme.ComputeThresholds(usable.Select(u => u.MaturedMeasure));
        var rows = new List<TrainingRow>(usable.Count);
        var served = new List<TrainingRow>(usable.Count);
        var ages = new List<double>(usable.Count);
        foreach (var (history, matured, maturedMeasure) in usable)
        {
            var label = thresholds.Assign(maturedMeasure);
            var firstSeen = history.Scrapes[0].At;
            for (var i = 0; i < matured; i++)
            {
                var observed = At(history.Video, history.Scrapes[i], firstSeen);
                var age = observed.AgeHours ?? 0;
                var isFirst = i == 0;
                if (!isFirst && (options.HorizonHours <= 0 || age >= options.HorizonHours))
                    continue;
                var row = new TrainingRow(history.Video.VideoId, FeatureExtractor.Extract(observed, featureSet), label, history.Video.CreatedAt,
                    Seen: new Observation(Measure(history.Video, history.Scrapes[i], scheme, wesWeights) ?? 0, age, firstSeen, maturedMeasure));
                rows.Add(row);
                ages.Add(age);
                if (isFirst)
                    served.Add(row);
            }
        }
        ages.Sort();
        var report = new RowsReport(TrainingRowsMode.PointInTime, usable.Count, rows.Count, skippedNotMatured, skippedNoEarlier,
            ages[0], PercentileCont.Of(ages, 0.5), ages[^1]);
        return new PointInTimeDataset(rows, served, thresholds, report);
    }

    /// <summary>The video with a scrape's counts, observed at that scrape.</summary>
    public static ScrapedVideoRecord At(ScrapedVideoRecord video, ScrapeCounts scrape, DateTimeOffset firstSeen) => video with
    {
        Views = scrape.Views,
        Likes = scrape.Likes,
        Shares = scrape.Shares,
        Comments = scrape.Comments,
        Saves = scrape.Saves, // never the video's latest saves: that would carry the outcome into the features
        ScrapedAt = scrape.At,
        FirstSeenAt = firstSeen,
    };

    private static double? Measure(ScrapedVideoRecord video, ScrapeCounts counts, TierScheme scheme, WesWeights? wesWeights) =>
        scheme.Measure == TierMeasure.Wes && counts.Comments is null
            ? null
            : EngagementDataset.LabelMeasure(At(video, counts, counts.At), scheme, wesWeights);
}
