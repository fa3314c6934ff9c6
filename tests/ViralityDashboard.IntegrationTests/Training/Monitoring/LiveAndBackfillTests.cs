using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>
/// Issue 24 §2 and issue 23 §6: what realized accuracy counts. A video first seen before a version came into play is
/// backfill (a backtest, kept apart, never read by the drift trigger); one first seen by the newest video the version was
/// trained on is in-sample and not counted at all.
/// </summary>
public sealed class LiveAndBackfillTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly Dictionary<string, string?> WideDriftWindow = new(TrainingFixtures.Settings()) { ["Virality:Monitoring:Drift:Window"] = "1000" };

    [Fact]
    public async Task TrainingVideosAreCountedApartBackfillIsABacktestAndTheDriftTriggerReadsOnlyLivePredictions()
    {
        await using var db = await postgres.CreateDatabaseAsync(WideDriftWindow);
        await TrainingFixtures.SeedAsync(db, 800);
        var outcome = await db.Get<ViralityDashboard.Training.Engagement.EngagementTrainingService>().RunAsync(new ViralityDashboard.Training.TrainingRequest(), ViralityDashboard.Core.Ml.RunTrigger.Manual);
        Assert.True(outcome.Activated, outcome.Error ?? string.Join("; ", outcome.Reasons));
        var active = await MonitoringFixtures.VersionAsync(db, outcome.VersionTag!);
        // Latest-count rows: the version is dated by when its run read the data, after every video imported.
        var newestVideo = (await db.QueryAsync("SELECT max(first_seen_at) FROM scraped_videos", r => r.GetFieldValue<DateTimeOffset>(0))).Single();
        Assert.True(active.TrainedThrough >= newestVideo, $"trained through {active.TrainedThrough}, newest video {newestVideo}");
        // Say it was trained on videos first seen up to 25 days ago and came into play 15 days ago. By id % 3, the videos
        // were first seen 30 days ago (in its training data), 20 days ago (before it came into play) or 12 days ago (live),
        // posted a day before, and all scraped again 5 days ago with grown counts.
        await db.ExecuteAsync($"""
            UPDATE model_versions SET trained_through = now() - interval '25 days' WHERE id = {active.Id};
            UPDATE model_activations SET changed_at = now() - interval '15 days' WHERE to_version_id = {active.Id};
            UPDATE video_snapshots SET scraped_at = now() - CASE video_id % 3 WHEN 0 THEN interval '30 days' WHEN 1 THEN interval '20 days' ELSE interval '12 days' END;
            UPDATE scraped_videos v SET created_at = s.scraped_at - interval '1 day', first_seen_at = s.scraped_at FROM video_snapshots s WHERE s.video_id = v.id;
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, now() - interval '5 days', views * 3, likes * 2, shares, comments, saves FROM scraped_videos;
            """);

        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        await db.Get<IMaturingPass>().MatureAsync();

        var groups = (await db.QueryAsync("""
            SELECT video_id % 3, count(*)::int, bool_and(backfill), bool_or(backfill), count(*) FILTER (WHERE outcome_tier = predicted_tier)::int
            FROM prediction_log WHERE source = 'scoring' GROUP BY 1
            """, r => (Group: r.GetInt64(0), Count: r.GetInt32(1), AllBackfill: r.GetBoolean(2), AnyBackfill: r.GetBoolean(3), Correct: r.GetInt32(4))))
            .ToDictionary(g => g.Group);
        Assert.Equal((true, true, false), (groups[0].AllBackfill, groups[1].AllBackfill, groups[2].AnyBackfill));
        Assert.All(groups.Values, g => Assert.True(g.Count > 100, $"group {g.Group}: {g.Count} predictions"));

        var stored = (await db.QueryAsync("""
            SELECT backfill, sum(matured)::int, sum(in_training)::int, sum(no_later_snapshot)::int FROM realized_metrics GROUP BY 1
            """, r => (Backfill: r.GetBoolean(0), Matured: r.GetInt32(1), InTraining: r.GetInt32(2), NoLater: r.GetInt32(3)))).ToDictionary(r => r.Backfill);
        Assert.Equal((groups[1].Count, groups[0].Count, 0), (stored[true].Matured, stored[true].InTraining, stored[true].NoLater));
        Assert.Equal((groups[2].Count, 0, 0), (stored[false].Matured, stored[false].InTraining, stored[false].NoLater));

        var report = Assert.Single((await db.Get<IMonitoringQueries>().GetAsync()).Versions);
        Assert.Equal(groups[0].Count, report.InTraining);
        Assert.Equal(groups[1].Count, report.Weeks.Where(w => w.Backfill).Sum(w => w.Matured));
        Assert.Equal(groups[2].Count, report.Weeks.Where(w => !w.Backfill).Sum(w => w.Matured));

        // The drift trigger's window holds the live videos only, with their own accuracy.
        var figures = Assert.Single((await db.Get<DriftTrigger>().EvaluateAsync()).Versions);
        Assert.Equal((groups[2].Count, groups[2].Correct), (figures.Matured, figures.Correct));

        // The backtest verb leaves the training videos out the same way.
        var backtest = await db.Get<BacktestService>().RunAsync(active.VersionTag, null);
        Assert.Equal(groups[0].Count, backtest.InTraining);
        Assert.Equal(groups[1].Count + groups[2].Count, backtest.Weeks.Sum(w => w.Matured));
    }

    [Fact]
    public async Task AFirstVersionBackfillingGrownVideosDoesNotFireTheDriftTrigger()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        // Every video was there before the version: first seen 20 days ago, then grown fifty-fold, so the version's
        // tiers from the first counts are mostly wrong. Its training is dated long before them, so they would count.
        await db.ExecuteAsync($"""
            UPDATE model_versions SET trained_through = now() - interval '60 days' WHERE id = {active.Id};
            UPDATE video_snapshots SET scraped_at = now() - interval '20 days';
            UPDATE scraped_videos SET created_at = now() - interval '21 days', first_seen_at = now() - interval '20 days';
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, now() - interval '10 days', views * 50, likes * 50, shares, comments, saves FROM scraped_videos;
            """);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        await db.Get<IMaturingPass>().MatureAsync();
        var backtest = await db.QueryAsync("SELECT sum(matured)::int, sum(confusion[1] + confusion[7] + confusion[13] + confusion[19] + confusion[25])::int FROM realized_metrics WHERE backfill",
            r => (Matured: r.GetInt32(0), Correct: r.GetInt32(1)));
        var (matured, correct) = backtest.Single();
        Assert.True(matured >= 200 && (double)correct / matured < 0.5, $"backtest {correct}/{matured}");

        var evaluation = await db.Get<DriftTrigger>().EvaluateAsync();

        Assert.False(evaluation.Fire, evaluation.Summary);
        var figures = Assert.Single(evaluation.Versions);
        Assert.Equal(0, figures.Matured);
        Assert.Contains("0 of the 200 live matured predictions needed", figures.Reason);
    }
}
