using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class CalibrationQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ScrapedVideoRecord Video(string id, long views, long likes, long? saves = 0) =>
        new() { VideoId = id, Views = views, Likes = likes, Saves = saves, DurationSeconds = 30 };

    [Fact]
    public async Task PercentilesOfViewsAndWesEqualHandCheckedValuesOverTrainableRowsOnly()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // WES = likes / views with no comments, shares or saves: 0.1 … 0.5.
        await db.Get<VideoImporter>().ImportAsync(
        [
            Video("a", 100, 10), Video("b", 200, 40), Video("c", 300, 90), Video("d", 400, 160), Video("e", 500, 250),
            Video("zero-views", 0, 0),            // excluded: no views
            Video("glitch", 1_000, 5_000),        // excluded: likes exceed views
        ], new ImportOptions());

        var (id, s) = await db.Get<CalibrationQueries>().ComputeAndStoreAsync();

        // percentile_cont at (n − 1)·p over 100..500: p20 → 1.0 + 0.8 → 180, p25 → 200, p40 → 260 …
        Assert.Equal(5, s.VideoCount);
        var expectedViews = new Dictionary<string, double> { ["p20"] = 180, ["p25"] = 200, ["p40"] = 260, ["p50"] = 300, ["p60"] = 340, ["p75"] = 400, ["p80"] = 420, ["p90"] = 460 };
        foreach (var (p, v) in expectedViews)
        {
            Assert.Equal(v, s.Views[p], 9);
            Assert.Equal(v / 1000, s.Wes[p], 9);
        }
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM calibration_baselines WHERE id = {id} AND video_count = 5"));
        Assert.Equal(420, await db.ScalarAsync($"SELECT (view_percentiles->>'p80')::float8::bigint FROM calibration_baselines WHERE id = {id}"));
    }

    [Fact]
    public async Task WesEstimatesMissingSavesAsFifteenPercentOfLikesWithTheConfiguredWeights()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync([Video("a", 100, 10, saves: null) with { Comments = 1, Shares = 2 }], new ImportOptions());

        var s = await db.Get<CalibrationQueries>().ComputeAsync(new WesWeights(1, 2, 3, 2));

        // (10·1 + 1·2 + 2·3 + 10·0.15·2) / 100
        Assert.Equal(0.21, s.Wes["p50"], 12);
        Assert.Equal(0.21, WeightedEngagementScore.Compute(100, 10, 1, 2, 1.5), 12);
    }

    [Fact]
    public async Task PercentilesLeaveOutVideosWithCommentsTurnedOffBecauseWesNeedsComments()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync(
        [
            Video("a", 100, 10), Video("b", 300, 90),
            Video("comments-off", 1_000_000, 900_000) with { Comments = null },
        ], new ImportOptions());

        var s = await db.Get<CalibrationQueries>().ComputeAsync();

        Assert.Equal(2, s.VideoCount);
        Assert.Equal(200, s.Views["p50"], 9);
        Assert.Equal(0.2, s.Wes["p50"], 9);
    }

    [Fact]
    public void ThresholdsForATierSchemeTakeItsPercentiles()
    {
        var snapshot = new CalibrationSnapshot(DateTimeOffset.UnixEpoch, 5,
            new Dictionary<string, double> { ["p20"] = 1, ["p25"] = 2, ["p40"] = 3, ["p50"] = 4, ["p60"] = 5, ["p75"] = 6, ["p80"] = 7, ["p90"] = 8 },
            new Dictionary<string, double> { ["p20"] = .1, ["p25"] = .2, ["p40"] = .3, ["p50"] = .4, ["p60"] = .5, ["p75"] = .6, ["p80"] = .7, ["p90"] = .8 },
            WesWeights.Default);

        Assert.Equal([1, 3, 5, 7], snapshot.ThresholdsFor(TierScheme.Views).Values);
        Assert.Equal([.2, .4, .6, .8], snapshot.ThresholdsFor(TierScheme.Wes).Values);
    }
}
