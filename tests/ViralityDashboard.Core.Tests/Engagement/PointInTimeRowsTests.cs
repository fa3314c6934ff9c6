using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Engagement;

public class PointInTimeRowsTests
{
    private static readonly DateTimeOffset Posted = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    private static VideoHistory History(string id, DateTimeOffset? posted, params (double Hours, long Views)[] scrapes)
    {
        var origin = posted ?? Posted;
        var video = new ScrapedVideoRecord { VideoId = id, CreatedAt = posted, Views = scrapes[^1].Views, Likes = scrapes[^1].Views / 10, AuthorFollowers = 5_000 };
        return new VideoHistory(video, scrapes.Select(s => new ScrapeCounts(origin.AddHours(s.Hours), s.Views, s.Views / 10, s.Views / 100, s.Views / 50, null)).ToArray());
    }

    [Fact]
    public void EachMaturedVideoGivesOneRowFromItsFirstSnapshotLabelledByItsMaturedCounts()
    {
        var histories = new[]
        {
            History("a", Posted, (3, 1_000), (30, 5_000), (200, 9_000)),
            History("b", Posted, (300, 40_000)),                         // one scrape, matured: same counts twice
            History("c", Posted, (5, 500), (50, 2_000)),                  // not matured after 7 days
            History("d", null, (0, 100), (24 * 8, 800)),                  // posting time unknown: days count from first seen
        };

        var set = PointInTimeRows.Build(histories, FeatureSet.Early, TierScheme.Views, new PointInTimeOptions(MatureAfterDays: 7));

        Assert.Equal(["a", "d"], set.Rows.Select(r => r.Id));
        Assert.Equal(new RowsReport(TrainingRowsMode.PointInTime, 2, 2, 1, 1, 0, 1.5, 3), set.Report);
        Assert.Equal([9_000.0, 800.0], set.Rows.Select(r => r.Seen!.Value.MaturedMeasure));
        var a = set.Rows[0];
        Assert.Equal((1_000.0, 3.0, Posted.AddHours(3)), (a.Seen!.Value.Measure, a.Seen.Value.AgeHours, a.Seen.Value.FirstSeenAt));
        Assert.Equal(set.Thresholds.Assign(9_000), a.Label);
        Assert.Equal(set.Thresholds.Values, TierScheme.Views.ComputeThresholds([9_000, 800]).Values);
        var firstSeen = histories[0].Video with { Views = 1_000, Likes = 100, Shares = 10, Comments = 20, Saves = null, ScrapedAt = Posted.AddHours(3), FirstSeenAt = Posted.AddHours(3) };
        Assert.Equal(FeatureExtractor.Extract(firstSeen, FeatureSet.Early), a.Features);
        Assert.Equal(1f, set.Rows[1].Features[FeatureSet.Early.IndexOf(EarlyFeatures.AgeFromFirstSeen)]);
        Assert.Equal(set.Rows, set.Served);
    }

    [Fact]
    public void FeaturesNeverSeeTheLatestCounts()
    {
        var history = History("a", Posted, (2, 100), (200, 1_000_000));

        var row = PointInTimeRows.Build([history, History("b", Posted, (2, 50), (200, 60))], FeatureSet.Early, TierScheme.Views, new PointInTimeOptions()).Rows[0];

        var logViews = row.Features[FeatureSet.Early.IndexOf(EarlyFeatures.LogViews)];
        Assert.Equal(Math.Log10(101) / EarlyFeatures.LogViewsScale, logViews, 5);
        Assert.Equal(Math.Log10(3) / EarlyFeatures.LogAgeScale, row.Features[FeatureSet.Early.IndexOf(EarlyFeatures.LogAgeHours)], 5);
    }

    [Fact]
    public void AHorizonTakesEveryYoungScrapeAndNoVideoLandsOnBothSidesOfAnySplit()
    {
        var histories = Enumerable.Range(0, 60).Select(i => History($"v{i}", Posted.AddHours(i),
            (1 + i % 5, 100 + i), (12, 400 + i * 10), (40, 900 + i * 20), (100, 1_500 + i * 30), (200, 2_000 + i * 97))).ToArray();

        var set = PointInTimeRows.Build(histories, FeatureSet.Early, TierScheme.Views, new PointInTimeOptions(7, HorizonHours: 48));

        Assert.Equal(60 * 3, set.Rows.Count); // the first, 12 h and 40 h scrapes; 100 h is past the horizon
        Assert.Equal(60, set.Served.Count);
        Assert.Equal(60, set.Report.Videos);
        foreach (var split in new[] { SplitKind.Stratified, SplitKind.Hash, SplitKind.Time })
        {
            var sides = TrainingPipeline.SplitRows(set.Rows, set.Rows.Select(r => r.Label).ToArray(), new TrainingOptions(Split: split));
            var train = sides.Train.Select(i => set.Rows[i].Id).ToHashSet();
            var test = sides.Test.Select(i => set.Rows[i].Id).ToHashSet();
            Assert.Empty(train.Intersect(test));
            Assert.Equal(set.Rows.Count, sides.Train.Length + sides.Test.Length);
            Assert.NotEmpty(test);
        }
    }

    [Fact]
    public void TheTimeSplitHoldsOutTheVideosFirstSeenLast()
    {
        // Posted in one order, first seen in the reverse: the split follows first sight, as the model meets videos.
        var histories = Enumerable.Range(0, 10).Select(i => History($"v{i}", Posted.AddDays(i), (24 * (20 - 2 * i), 100 + i), (24 * 30, 1_000 + i))).ToArray();
        var set = PointInTimeRows.Build(histories, FeatureSet.Early, TierScheme.Views, new PointInTimeOptions());

        var sides = TrainingPipeline.SplitRows(set.Rows, set.Rows.Select(r => r.Label).ToArray(), new TrainingOptions(Split: SplitKind.Time));

        Assert.Equal(["v0", "v1"], sides.Test.Select(i => set.Rows[i].Id).Order());
    }
}
