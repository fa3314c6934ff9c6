using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class CalibrationPageQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ScrapedVideoRecord Video(string id, long views, long likes = 0) => new() { VideoId = id, Views = views, Likes = likes, Saves = 0, DurationSeconds = 30 };

    [Fact]
    public async Task HistogramCountsTrainableViewsInLog10BinsTrimmedToTheOccupiedRange()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync(
        [
            Video("a", 5), Video("b", 50), Video("c", 60), Video("d", 500), Video("e", 999),
            Video("zero", 0),
        ], new ImportOptions());

        var bins = await db.Get<ICalibrationPageQueries>().GetViewsHistogramAsync(1);

        Assert.Equal([(1.0, 10.0, 1L), (10.0, 100.0, 2L), (100.0, 1_000.0, 2L)], bins.Select(b => (Math.Round(b.From), Math.Round(b.To), b.Count)));
    }

    [Fact]
    public async Task HistogramIsEmptyWithoutTrainableVideos()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        Assert.Empty(await db.Get<ICalibrationPageQueries>().GetViewsHistogramAsync(10));
    }

    [Fact]
    public async Task AStoredBaselineReadsBackAndSplitsVideosIntoTiersAsTheCoreDoes()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var videos = Enumerable.Range(1, 10).Select(i => Video($"v{i}", i * 100, likes: i * i)).ToList();
        await db.Get<VideoImporter>().ImportAsync(videos, new ImportOptions());
        var queries = db.Get<ICalibrationPageQueries>();

        var stored = await queries.ComputeAndStoreAsync(WesWeights.Default);
        var latest = Assert.Single(await queries.ListBaselinesAsync(5));
        var shares = await queries.GetTierSharesAsync(latest);

        Assert.Equal((stored.Id, 10), (latest.Id, latest.VideoCount));
        Assert.Equal(stored.Snapshot.Views["p80"], latest.Snapshot.Views["p80"], 9);
        var viewTiers = latest.Snapshot.ThresholdsFor(TierScheme.Views).AssignAll(videos.Select(v => (double)v.Views));
        var wesTiers = latest.Snapshot.ThresholdsFor(TierScheme.Wes).AssignAll(videos.Select(v => WeightedEngagementScore.Compute(v, WesWeights.Default)));
        Assert.Equal(TierThresholds.Distribution(viewTiers).Select(n => (long)n), shares.Where(s => s.Scheme == "views").OrderBy(s => s.Tier).Select(s => s.Count));
        Assert.Equal(TierThresholds.Distribution(wesTiers).Select(n => (long)n), shares.Where(s => s.Scheme == "wes").OrderBy(s => s.Tier).Select(s => s.Count));
    }
}
