using System.Text.Json;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §2: the scoring job scores each newly seen video once per feature set, with the active version and its shadows, as first seen.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ScoringPassTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ScoresOnlyNewVideosWithTheActiveAndShadowVersionsFromTheirFirstSnapshot()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var shadow = await MonitoringFixtures.AddShadowAsync(db, active, "eng-shadow", MonitoringFixtures.Thresholds(active));
        // One video was first scraped a week earlier with a tenth of its views: that is what it is scored from.
        var first = SyntheticVideos.Generate(1, 3).Single();
        await db.ExecuteAsync($"""
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, first_seen_at - interval '7 days', views / 10, likes, shares, comments, saves FROM scraped_videos WHERE platform_video_id = '{first.VideoId}'
            """);
        var scorable = await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE quality_flags = 0");
        var pass = db.Get<IScoringPass>();

        var result = await pass.ScoreNewVideosAsync();

        Assert.Equal((scorable, scorable * 2), ((long)result.Videos, (long)result.Predictions));
        Assert.Equal([active.VersionTag, shadow.VersionTag], result.Versions.Order());
        Assert.Equal(scorable, await db.ScalarAsync($"SELECT count(*) FROM prediction_log WHERE source = 'scoring' AND model_version_id = {shadow.Id}"));
        var logged = (await db.QueryAsync($"""
            SELECT p.features::text, p.observed_at = s.scraped_at
            FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
            JOIN LATERAL (SELECT min(scraped_at) AS scraped_at FROM video_snapshots WHERE video_id = v.id) s ON true
            WHERE v.platform_video_id = '{first.VideoId}' AND p.model_version_id = {active.Id}
            """, r => (Features: JsonSerializer.Deserialize<Dictionary<string, float>>(r.GetString(0))!, ObservedAtFirstSnapshot: r.GetBoolean(1)))).Single();
        var asFirstSeen = FeatureExtractor.Extract(first with { Views = first.Views / 10 }, FeatureSet.Seed15);
        Assert.Equal(asFirstSeen, FeatureSet.Seed15.FeatureNames.Select(n => logged.Features[n]));
        Assert.True(logged.ObservedAtFirstSnapshot);

        // Nothing new: nothing scored. Five new videos: only they are.
        Assert.Equal(0, (await pass.ScoreNewVideosAsync()).Predictions);
        await db.Get<ViralityDashboard.Data.Import.VideoImporter>().ImportAsync(SyntheticVideos.Generate(5, 41), new ViralityDashboard.Data.Import.ImportOptions());
        var again = await pass.ScoreNewVideosAsync();

        Assert.Equal((5, 10), (again.Videos, again.Predictions));
        Assert.Equal(1, await db.ScalarAsync("SELECT max(n) FROM (SELECT count(*) AS n FROM prediction_log GROUP BY video_id, model_version_id) c"));
    }

    [Fact]
    public async Task AnInactiveVersionOutOfShadowDoesNotScore()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var retired = await MonitoringFixtures.AddShadowAsync(db, active, "eng-retired", MonitoringFixtures.Thresholds(active));
        await db.ExecuteAsync($"UPDATE model_versions SET is_shadow = false WHERE id = {retired.Id}");

        var result = await db.Get<IScoringPass>().ScoreNewVideosAsync();

        Assert.Equal([active.VersionTag], result.Versions);
        Assert.Equal(0, await db.ScalarAsync($"SELECT count(*) FROM prediction_log WHERE model_version_id = {retired.Id}"));
    }
}
