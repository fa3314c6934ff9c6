using System.Text.Json;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §2: the scoring job scores each newly seen video once per feature set, with the active version and its shadows, as first seen.</summary>
public sealed class ScoringPassTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
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
    public async Task AnEarlyVersionScoresEachVideoAtTheAgeItHadWhenFirstSeen()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var outcome = await db.Get<ViralityDashboard.Training.Engagement.EngagementTrainingService>().RunAsync(
            new ViralityDashboard.Training.TrainingRequest(FeatureSet.Early, Trainer: ViralityDashboard.Core.Ml.TrainerKind.Lbfgs,
                Rows: ViralityDashboard.Core.Ml.TrainingRowsMode.Latest), ViralityDashboard.Core.Ml.RunTrigger.Manual);
        Assert.True(outcome.Activated, outcome.Error ?? string.Join("; ", outcome.Reasons));
        // One video first scraped 30 hours after it was posted.
        var video = SyntheticVideos.Generate(1, 3).Single();
        await db.ExecuteAsync($"""
            UPDATE scraped_videos SET created_at = '2026-10-01T00:00:00Z' WHERE platform_video_id = '{video.VideoId}';
            DELETE FROM video_snapshots WHERE video_id = (SELECT id FROM scraped_videos WHERE platform_video_id = '{video.VideoId}');
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, '2026-10-02T06:00:00Z', views, likes, shares, comments, saves FROM scraped_videos WHERE platform_video_id = '{video.VideoId}';
            """);

        await db.Get<IScoringPass>().ScoreNewVideosAsync();

        var features = (await db.QueryAsync($"""
            SELECT p.features::text FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
            WHERE v.platform_video_id = '{video.VideoId}' AND p.feature_set = 'early'
            """, r => JsonSerializer.Deserialize<Dictionary<string, float>>(r.GetString(0))!)).Single();
        Assert.Equal(Math.Log10(1 + 30) / EarlyFeatures.LogAgeScale, features[EarlyFeatures.LogAgeHours], 5);
        Assert.Equal(0f, features[EarlyFeatures.AgeFromFirstSeen]);
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

    [Fact]
    public async Task AVideoOfAWriterStillOpenWhenThePassStartsIsScoredNotSkipped()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres, videos: 300);
        await using var _ = db;
        var pass = db.Get<IScoringPass>();
        await pass.ScoreNewVideosAsync();
        // A writer takes an id and stays open; another then commits a video with a higher id.
        const string Insert = """
            INSERT INTO scraped_videos (platform, platform_video_id, views, likes, shares, comments, saves, hashtags, quality_flags, first_seen_at, last_scraped_at)
            VALUES ('tiktok', @id, 1000, 100, 10, 5, 3, '{}', 0, now(), now())
            """;
        await using var open = new NpgsqlConnection(db.ConnectionString);
        await open.OpenAsync();
        await using var openTx = await open.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(Insert, open, openTx) { Parameters = { new("id", "still-open") } })
            await insert.ExecuteNonQueryAsync();
        await using (var later = new NpgsqlConnection(db.ConnectionString))
        {
            await later.OpenAsync();
            await using var insert = new NpgsqlCommand(Insert, later) { Parameters = { new("id", "committed-later") } };
            await insert.ExecuteNonQueryAsync();
        }

        // The pass must not fix its bound above the open video's id while that video is invisible to it: it waits.
        var scoring = pass.ScoreNewVideosAsync();
        await Task.Delay(500);
        Assert.False(scoring.IsCompleted, "the pass read its bound while a writer of scraped_videos was still open");
        await openTx.CommitAsync();
        var result = await scoring;
        var next = await pass.ScoreNewVideosAsync();

        Assert.Equal((2, 0), (result.Videos, next.Videos));
        Assert.Equal(1, await db.ScalarAsync($"""
            SELECT count(*) FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
            WHERE v.platform_video_id = 'still-open' AND p.source = 'scoring' AND p.model_version_id = {active.Id}
            """));
        Assert.Equal(1, await db.ScalarAsync($"""
            SELECT count(*) FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
            WHERE v.platform_video_id = 'committed-later' AND p.source = 'scoring' AND p.model_version_id = {active.Id}
            """));
    }

    [Fact]
    public async Task ALogScoredBeforeTheWatermarkExistedIsNotScoredAgain()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres, videos: 300);
        await using var _ = db;
        var pass = db.Get<IScoringPass>();
        var first = await pass.ScoreNewVideosAsync();
        // As a database upgraded from a version that found new videos without a watermark.
        await db.ExecuteAsync("DELETE FROM scoring_watermarks");
        await db.Get<ViralityDashboard.Data.Import.VideoImporter>().ImportAsync(SyntheticVideos.Generate(3, 91), new ViralityDashboard.Data.Import.ImportOptions());

        var again = await pass.ScoreNewVideosAsync();

        Assert.True(first.Videos > 0);
        Assert.Equal(3, again.Videos);
        Assert.Equal(1, await db.ScalarAsync($"SELECT max(n) FROM (SELECT count(*) AS n FROM prediction_log WHERE model_version_id = {active.Id} GROUP BY video_id) c"));
        Assert.Equal(await db.ScalarAsync("SELECT max(id) FROM scraped_videos"),
            await db.ScalarAsync("SELECT scored_through_video_id FROM scoring_watermarks WHERE feature_set = 'seed15'"));
    }
}
