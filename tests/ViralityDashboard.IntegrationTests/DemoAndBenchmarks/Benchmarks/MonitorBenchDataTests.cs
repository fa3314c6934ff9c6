using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.DemoAndBenchmarks.Benchmarks;

/// <summary>bench-monitor's data generation, at small sizes (the verb's defaults are 1M scored and 100k new videos).</summary>
public sealed class MonitorBenchDataTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MonitorBenchSizes Sizes = new(Videos: 3_000, NewVideos: 400, SnapshotsPerVideo: 5, Weeks: 20);
    private static readonly TierThresholds Thresholds = new("quintiles", TierMeasure.Views, [20, 40, 60, 80], [1_000, 5_000, 20_000, 100_000]);

    [Fact]
    public async Task WritesTheRequestedVideosSnapshotsAndPredictions()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var data = new MonitorBenchData(db.Get<Npgsql.NpgsqlDataSource>());
        var version = await StoreVersionAsync(db);

        var (videos, snapshots) = await data.WriteVideosAsync(Sizes, Now);
        var counts = await data.WritePredictionsAsync(Sizes, Now, version, Thresholds);

        Assert.Equal((3_400, 17_000), (videos, snapshots));
        Assert.Equal(new MonitorBenchCounts(3_400, 17_000, 3_000, counts.Matured, counts.Due, counts.RealizedWeeks), counts);
        Assert.Equal(3_400, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(17_000, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM (SELECT video_id FROM video_snapshots GROUP BY video_id HAVING count(*) <> 5) t"));
        Assert.Equal(3_000, await db.ScalarAsync($"SELECT count(*) FROM prediction_log WHERE model_version_id = {version} AND video_id IS NOT NULL AND source = 'scoring'"));
        // The new videos are the ones no prediction names.
        Assert.Equal(400, await db.ScalarAsync("SELECT count(*) FROM scraped_videos v WHERE NOT EXISTS (SELECT 1 FROM prediction_log p WHERE p.video_id = v.id)"));
    }

    [Fact]
    public async Task MaturesAllButTheLastDaysDuePredictionsAndCountsThemInRealizedWeeks()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var data = new MonitorBenchData(db.Get<Npgsql.NpgsqlDataSource>());
        var version = await StoreVersionAsync(db);

        await data.WriteVideosAsync(Sizes, Now);
        var counts = await data.WritePredictionsAsync(Sizes, Now, version, Thresholds);

        Assert.Equal(counts.Matured, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE outcome_tier IS NOT NULL"));
        Assert.Equal(counts.Matured, await db.ScalarAsync("SELECT sum(matured) FROM realized_metrics"));
        Assert.Equal(counts.RealizedWeeks, await db.ScalarAsync("SELECT count(*) FROM realized_metrics"));
        Assert.InRange(counts.RealizedWeeks, 18, 20);
        Assert.InRange(counts.Due, 1, counts.Predictions / 50); // about one day of 140
        Assert.Equal(counts.Due, await db.ScalarAsync("""
            SELECT count(*) FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
            WHERE p.outcome_tier IS NULL AND v.created_at <= '2026-02-22T12:00:00Z'
            """));
        // Each week's confusion counts add up to its matured predictions, and its accuracy is their diagonal.
        Assert.Equal(0, await db.ScalarAsync("""
            SELECT count(*) FROM realized_metrics
            WHERE (SELECT sum(c) FROM unnest(confusion) c) <> matured
               OR abs(accuracy - (confusion[1] + confusion[7] + confusion[13] + confusion[19] + confusion[25])::float / matured) > 1e-9
            """));
    }

    [Fact]
    public async Task RefusesADatabaseThatAlreadyHasVideos()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var data = new MonitorBenchData(db.Get<Npgsql.NpgsqlDataSource>());
        await data.WriteVideosAsync(Sizes with { Videos = 10, NewVideos = 0 }, Now);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => data.WriteVideosAsync(Sizes, Now));

        Assert.Contains("scratch", error.Message);
    }

    private static async Task<long> StoreVersionAsync(TestDatabase db) =>
        (await db.Get<ModelRegistryStore>().StoreAsync(new ModelVersion
        {
            VersionTag = "bench", Kind = ModelKind.Engagement, Status = VersionStatus.Inactive, TrainedAt = Now, FeatureSet = "seed15", Trainer = "lbfgs",
        }, activate: true, "test", "bench")).Id;
}
