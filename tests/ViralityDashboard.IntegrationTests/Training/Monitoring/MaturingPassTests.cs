using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §3–4: outcomes mature by the predicting version's own tiers, and realized metrics grow incrementally.</summary>
public sealed class MaturingPassTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private sealed record Judged(long Version, string Platform, short Predicted, short? Outcome, DateTimeOffset ObservedAt, long LatestViews);

    private static Task<List<Judged>> JudgedAsync(TestDatabase db) => db.QueryAsync("""
        SELECT p.model_version_id, v.platform_video_id, p.predicted_tier, p.outcome_tier, p.observed_at,
               (SELECT s.views FROM video_snapshots s WHERE s.video_id = v.id ORDER BY s.scraped_at DESC LIMIT 1)
        FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id
        WHERE p.source = 'scoring'
        """, r => new Judged(r.GetInt64(0), r.GetString(1), r.GetInt16(2), r.IsDBNull(3) ? null : r.GetInt16(3), r.GetFieldValue<DateTimeOffset>(4), r.GetInt64(5)));

    [Fact]
    public async Task TheOutcomeTierIsJudgedByThePredictingVersionsOwnThresholds()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var own = MonitoringFixtures.Thresholds(active);
        // The challenger's tiers sit ten times higher: the same video is a lower tier by them.
        var higher = own with { Values = own.Values.Select(v => v * 10).ToArray() };
        var shadow = await MonitoringFixtures.AddShadowAsync(db, active, "eng-higher-tiers", higher);
        // Its latest snapshot, two weeks after the first, has more views: that is what the outcome is judged on.
        await db.ExecuteAsync("""
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, first_seen_at + interval '14 days', views * 3, likes, shares, comments, saves FROM scraped_videos
            """);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();

        var result = await db.Get<IMaturingPass>().MatureAsync();

        var judged = await JudgedAsync(db);
        Assert.Equal(judged.Count, result.Matured);
        Assert.All(judged, j => Assert.Equal(
            (short?)(j.Version == active.Id ? own : higher).Assign(j.LatestViews), j.Outcome));
        var byVideo = judged.GroupBy(j => j.Platform).Select(g => (Own: g.Single(j => j.Version == active.Id).Outcome, Higher: g.Single(j => j.Version == shadow.Id).Outcome));
        Assert.Contains(byVideo, v => v.Own != v.Higher);
    }

    [Fact]
    public async Task OnlyPredictionsWhoseOutcomeSnapshotIsLaterThanTheirInputsAreCountedAndTheRestAreCountedApart()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        await MonitoringFixtures.AddShadowAsync(db, active, "eng-shadow", MonitoringFixtures.Thresholds(active));
        // Every video first seen 20 days ago, long after posting; two in three scraped again 10 days later with grown
        // counts, the others never again: their only snapshot is both the inputs and the outcome.
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = scraped_at - interval '20 days'");
        await db.ExecuteAsync("""
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT id, now() - interval '10 days', views * 3, likes, shares, comments, saves FROM scraped_videos WHERE id % 3 <> 0
            """);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        var maturing = db.Get<IMaturingPass>();

        var result = await maturing.MatureAsync();

        var judged = await JudgedAsync(db);
        var seenOnce = await db.QueryAsync("SELECT p.id FROM prediction_log p WHERE p.video_id % 3 = 0", r => r.GetInt64(0));
        Assert.True(seenOnce.Count > 100, $"predictions of videos seen once: {seenOnce.Count}");
        // Each gets its outcome, so no pass reads them again, but only those judged on a later snapshot are counted.
        Assert.Equal(judged.Count, result.Matured);
        Assert.DoesNotContain(judged, j => j.Outcome is null);
        Assert.Equal(0, (await maturing.MatureAsync()).Matured);
        Assert.Equal(judged.Count - seenOnce.Count, await db.ScalarAsync("SELECT sum(matured) FROM realized_metrics"));
        Assert.Equal(seenOnce.Count, await db.ScalarAsync("SELECT sum(no_later_snapshot) FROM realized_metrics"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE outcome_at IS DISTINCT FROM (SELECT max(s.scraped_at) FROM video_snapshots s WHERE s.video_id = prediction_log.video_id)"));
        var expected = await db.QueryAsync("""
            SELECT model_version_id, sum(CASE WHEN outcome_tier = predicted_tier THEN 1 ELSE 0 END)::int, count(*)::int
            FROM prediction_log WHERE outcome_at > observed_at GROUP BY 1 ORDER BY 1
            """, r => (r.GetInt64(0), r.GetInt32(1), r.GetInt32(2)));
        var stored = await db.QueryAsync("""
            SELECT model_version_id, sum((SELECT sum(confusion[i]) FROM unnest(ARRAY[1, 7, 13, 19, 25]) AS i))::int, sum(matured)::int
            FROM realized_metrics GROUP BY 1 ORDER BY 1
            """, r => (r.GetInt64(0), r.GetInt32(1), r.GetInt32(2)));
        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task AVideoNotYetMatureGetsNoOutcome()
    {
        var (db, _) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        // Posted six days ago: one day short of the default seven.
        await db.ExecuteAsync("UPDATE scraped_videos SET created_at = now() - interval '6 days' WHERE id % 3 = 0");
        await db.Get<IScoringPass>().ScoreNewVideosAsync();

        await db.Get<IMaturingPass>().MatureAsync();

        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id WHERE v.id % 3 = 0 AND p.outcome_tier IS NOT NULL"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log p JOIN scraped_videos v ON v.id = p.video_id WHERE v.id % 3 <> 0 AND p.outcome_tier IS NULL"));
        // Without a posting time the first snapshot counts: scraped yesterday, not mature either.
        await db.ExecuteAsync("UPDATE scraped_videos SET created_at = NULL WHERE id % 3 = 0");
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = now() - interval '1 day' WHERE video_id % 3 = 0");
        Assert.Equal(0, (await db.Get<IMaturingPass>().MatureAsync()).Matured);
    }

    [Fact]
    public async Task RealizedMetricsAfterTwoIncrementalPassesEqualADirectRecomputationFromTheLog()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        await MonitoringFixtures.AddShadowAsync(db, active, "eng-shadow", MonitoringFixtures.Thresholds(active) with
        {
            Values = MonitoringFixtures.Thresholds(active).Values.Select(v => v * 2).ToArray(),
        });
        // First seen over four weeks; a third of the videos posted recently, so they mature only in the second pass.
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = scraped_at - (video_id % 4) * interval '7 days' - interval '20 days'");
        await db.ExecuteAsync("UPDATE scraped_videos SET created_at = now() - interval '2 days' WHERE id % 3 = 0");
        await ScrapedAgainAsync(db);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        var maturing = db.Get<IMaturingPass>();

        var firstPass = await maturing.MatureAsync();
        await db.ExecuteAsync("UPDATE scraped_videos SET created_at = now() - interval '30 days' WHERE id % 3 = 0");
        var secondPass = await maturing.MatureAsync();

        var judged = await JudgedAsync(db);
        Assert.True(firstPass.Matured > 0 && secondPass.Matured > 0);
        Assert.Equal(judged.Count, firstPass.Matured + secondPass.Matured);
        var expected = judged.GroupBy(j => (j.Version, Week: Monday(j.ObservedAt))).ToDictionary(g => g.Key,
            g => Metrics.Evaluate(g.Select(j => (int)j.Outcome!.Value).ToList(), g.Select(j => (int)j.Predicted).ToList()));
        var stored = await db.QueryAsync("SELECT model_version_id, week, matured, accuracy, macro_f1, kappa, within_one, confusion FROM realized_metrics",
            r => (Key: (r.GetInt64(0), r.GetFieldValue<DateOnly>(1)), Matured: r.GetInt32(2), Accuracy: r.GetDouble(3), MacroF1: r.GetDouble(4),
                Kappa: r.GetDouble(5), WithinOne: r.GetDouble(6), Confusion: r.GetFieldValue<int[]>(7)));
        Assert.Equal(expected.Keys.Order(), stored.Select(s => s.Key).Order());
        Assert.True(expected.Count >= 8, $"two versions over four weeks, got {expected.Count} rows");
        foreach (var s in stored)
        {
            var e = expected[s.Key];
            Assert.Equal(e.Count, s.Matured);
            Assert.Equal(e.ConfusionMatrix.SelectMany(row => row), s.Confusion);
            Assert.Equal(e.Accuracy, s.Accuracy, 12);
            Assert.Equal(e.MacroF1, s.MacroF1, 12);
            Assert.Equal(e.QuadraticWeightedKappa, s.Kappa, 12);
            Assert.Equal(e.WithinOneTierAccuracy, s.WithinOne, 12);
        }
        Assert.Equal(0, (await maturing.MatureAsync()).Matured);
    }

    [Fact]
    public async Task ABacklogOfManyBatchesMaturesWholeAndCountsEachPredictionOnce()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        await MonitoringFixtures.AddShadowAsync(db, active, "eng-shadow", MonitoringFixtures.Thresholds(active));
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = scraped_at - (video_id % 4) * interval '7 days' - interval '20 days'");
        await ScrapedAgainAsync(db);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        var settings = TrainingFixtures.Settings();
        settings["Virality:Monitoring:MaturingBatchSize"] = "97";
        await using var smallBatches = postgres.Attach(db, settings);

        var result = await smallBatches.Get<IMaturingPass>().MatureAsync();

        var judged = await JudgedAsync(db);
        Assert.True(judged.Count > 10 * 97, $"a backlog of many batches, got {judged.Count} predictions");
        Assert.Equal(judged.Count, result.Matured);
        Assert.DoesNotContain(judged, j => j.Outcome is null);
        var weeks = judged.Select(j => (j.Version, Monday(j.ObservedAt))).Distinct().Count();
        Assert.Equal(weeks, result.WeeksUpdated);
        Assert.Equal(judged.Count, await db.ScalarAsync("SELECT sum(matured) FROM realized_metrics"));
        Assert.Equal(0, (await smallBatches.Get<IMaturingPass>().MatureAsync()).Matured);
    }

    [Fact]
    public async Task ThePartOfABacklogMaturedBeforeAPassFailsStaysMaturedAndTheNextPassDoesTheRest()
    {
        var (db, _) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var __ = db;
        await db.ExecuteAsync("UPDATE video_snapshots SET scraped_at = scraped_at - interval '20 days'");
        await ScrapedAgainAsync(db);
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        var total = await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE source = 'scoring'");
        var settings = TrainingFixtures.Settings();
        settings["Virality:Monitoring:MaturingBatchSize"] = "100";
        await using var smallBatches = postgres.Attach(db, settings);
        // Another session holds the newest predictions, so the pass waits at its last batch until it is stopped.
        await using var holder = new Npgsql.NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRows = new Npgsql.NpgsqlCommand("SELECT id FROM prediction_log ORDER BY id DESC LIMIT 10 FOR UPDATE", holder, hold))
            await lockRows.ExecuteNonQueryAsync();
        using var stop = new CancellationTokenSource();

        var pass = smallBatches.Get<IMaturingPass>().MatureAsync(stop.Token);
        var maturedBeforeTheStop = 0L;
        for (var wait = 0; wait < 300 && maturedBeforeTheStop < total - 100; wait++)
        {
            await Task.Delay(100);
            maturedBeforeTheStop = await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE outcome_tier IS NOT NULL");
        }
        await stop.CancelAsync();
        var failure = await Record.ExceptionAsync(() => pass);
        await hold.RollbackAsync();
        var after = await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE outcome_tier IS NOT NULL");
        var next = await smallBatches.Get<IMaturingPass>().MatureAsync();

        Assert.NotNull(failure);
        Assert.Equal(total - total % 100 - (total % 100 == 0 ? 100 : 0), maturedBeforeTheStop);
        Assert.Equal(maturedBeforeTheStop, after);
        Assert.Equal(total - after, next.Matured);
        Assert.Equal(total, await db.ScalarAsync("SELECT sum(matured) FROM realized_metrics"));
    }

    /// <summary>Every video scraped once more yesterday, with grown counts: its outcome is judged on a later snapshot than its inputs.</summary>
    private static Task ScrapedAgainAsync(TestDatabase db) => db.ExecuteAsync("""
        INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
        SELECT id, now() - interval '1 day', views + views * (id % 4), likes, shares, comments, saves FROM scraped_videos
        """);

    private static DateOnly Monday(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
