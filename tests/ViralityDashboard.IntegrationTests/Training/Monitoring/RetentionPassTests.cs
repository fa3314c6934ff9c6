using Quartz;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 22 §5: the prediction log keeps each kind of row for its retention, and deleting the rest changes nothing shown.</summary>
public sealed class RetentionPassTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static DateTimeOffset DaysAgo(int days) => Now.AddDays(-days);

    private static PredictionLogEntry Served(PredictionSource source, int daysAgo) =>
        MonitoringRows.Prediction(1, 1, 3, null, DaysAgo(daysAgo), source);

    private static PredictionLogEntry Preference(int daysAgo) => new()
    {
        ModelVersionId = 2, Kind = ModelKind.Preference, Source = PredictionSource.Page, InputsHash = new string('1', 64),
        Score = 6.5, ServedAt = DaysAgo(daysAgo), ObservedAt = DaysAgo(daysAgo),
    };

    /// <param name="maturedDaysAgo">Null: still waiting for its outcome.</param>
    private static PredictionLogEntry Scoring(int servedDaysAgo, int? maturedDaysAgo)
    {
        var row = MonitoringRows.Prediction(1, 1, 3, maturedDaysAgo is null ? null : 3, DaysAgo(servedDaysAgo));
        row.MaturedAt = maturedDaysAgo is { } d ? DaysAgo(d) : null;
        return row;
    }

    private static Dictionary<string, string?> Settings(int batchSize) => new() { ["Virality:Monitoring:Retention:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task DeletesExactlyTheExpiredRowsOfEachRuleInBatchesAndKeepsUnmaturedScoringRowsWhateverTheirAge()
    {
        await using var db = await postgres.CreateDatabaseAsync(Settings(batchSize: 3));
        (PredictionLogEntry Row, bool Expired)[] rows =
        [
            // Served engagement predictions, 30 days: 7 expired (three batches of at most 3), 3 kept.
            (Served(PredictionSource.Api, 31), true), (Served(PredictionSource.Api, 45), true), (Served(PredictionSource.Api, 400), true),
            (Served(PredictionSource.Page, 31), true), (Served(PredictionSource.Page, 60), true), (Served(PredictionSource.Cli, 35), true),
            (Served(PredictionSource.Api, 32), true),
            (Served(PredictionSource.Api, 29), false), (Served(PredictionSource.Page, 1), false), (Served(PredictionSource.Cli, 29), false),
            // Preference predictions, 90 days: 2 expired, 2 kept (one older than the engagement rule's 30 days).
            (Preference(91), true), (Preference(365), true), (Preference(89), false), (Preference(31), false),
            // Scoring predictions, 180 days after maturing: 4 expired; unmatured ones kept however old, and recent outcomes of old videos.
            (Scoring(400, 181), true), (Scoring(300, 200), true), (Scoring(190, 181), true), (Scoring(500, 365), true),
            (Scoring(900, null), false), (Scoring(400, null), false), (Scoring(400, 179), false), (Scoring(10, null), false),
        ];
        await MonitoringRows.InsertAsync(db, rows.Select(r => r.Row));

        var result = await db.Get<IRetentionPass>().DeleteExpiredAsync();

        var kept = await db.QueryAsync("SELECT id FROM prediction_log", r => r.GetInt64(0));
        Assert.Equal(rows.Where(r => !r.Expired).Select(r => r.Row.Id).Order(), kept.Order());
        Assert.Equal((7L, 2L, 4L), (result.Served, result.Preference, result.Scoring));
        // 3 + 3 + 1, 2, 3 + 1: each batch its own statement and transaction.
        Assert.Equal(6, result.Batches);
        Assert.Equal(0, (await db.Get<IRetentionPass>().DeleteExpiredAsync()).Deleted);
    }

    [Fact]
    public async Task DeletingOldMaturedScoringRowsChangesNeitherRealizedMetricsNorWhatTheScoringAndMaturingJobsDoNext()
    {
        var (db, _) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        await db.Get<IScoringPass>().ScoreNewVideosAsync();
        Assert.True((await db.Get<IMaturingPass>().MatureAsync()).Matured > 0);
        // Half of them matured long ago (the rest recently): those are past their 180 days.
        await db.ExecuteAsync("UPDATE prediction_log SET matured_at = now() - interval '200 days' WHERE id % 2 = 0 AND matured_at IS NOT NULL");
        const string RealizedSql = "SELECT model_version_id, week, matured, accuracy, macro_f1, kappa, within_one, confusion FROM realized_metrics ORDER BY 1, 2";
        static string Row(Npgsql.NpgsqlDataReader r) => string.Join('|', Enumerable.Range(0, 7).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))) + "|" + string.Join(',', r.GetFieldValue<int[]>(7));
        var before = await db.QueryAsync(RealizedSql, Row);
        var expired = await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE matured_at < now() - interval '180 days'");
        var report = await db.Get<IMonitoringQueries>().GetAsync();

        var result = await db.Get<IRetentionPass>().DeleteExpiredAsync();

        Assert.True(expired > 0);
        Assert.Equal(expired, result.Scoring);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE matured_at < now() - interval '180 days'"));
        Assert.Equal(before, await db.QueryAsync(RealizedSql, Row));
        // The scoring job's watermark is its own table: the videos whose rows went are not scored (nor matured) again.
        Assert.Equal(0, (await db.Get<IScoringPass>().ScoreNewVideosAsync()).Predictions);
        Assert.Equal(0, (await db.Get<IMaturingPass>().MatureAsync()).Matured);
        Assert.Equal(before, await db.QueryAsync(RealizedSql, Row));
        var after = await db.Get<IMonitoringQueries>().GetAsync();
        Assert.Equal(report.Versions.SelectMany(v => v.Weeks).Select(w => (w.Week, w.Matured, w.Accuracy)),
            after.Versions.SelectMany(v => v.Weeks).Select(w => (w.Week, w.Matured, w.Accuracy)));
    }

    [Fact]
    public async Task TheRetentionJobRunsThePassThroughQuartz()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await MonitoringRows.InsertAsync(db, [Served(PredictionSource.Api, 31), Served(PredictionSource.Api, 1)]);
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            await scheduler.TriggerJob(MonitoringSchedule.RetentionJobKey);
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (await db.ScalarAsync("SELECT count(*) FROM prediction_log") > 1 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE served_at > now() - interval '2 days'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM prediction_log"));
    }
}
