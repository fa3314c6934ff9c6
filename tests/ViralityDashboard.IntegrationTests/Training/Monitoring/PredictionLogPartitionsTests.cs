using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 22 §5: prediction_log is partitioned by month, and a month whose rows have all expired goes whole.</summary>
public sealed class PredictionLogPartitionsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static PredictionLogEntry Served(DateTimeOffset at) => MonitoringRows.Prediction(1, 1, 3, null, at, PredictionSource.Api);

    private static PredictionLogEntry Preference(DateTimeOffset at) => new()
    {
        ModelVersionId = 2, Kind = ModelKind.Preference, Source = PredictionSource.Page, InputsHash = new string('1', 64),
        Score = 6.5, ServedAt = at, ObservedAt = at,
    };

    private static Task<List<string>> PartitionsAsync(TestDatabase db) =>
        db.QueryAsync("SELECT relid::text FROM pg_partition_tree('prediction_log') WHERE isleaf", r => r.GetString(0));

    [Fact]
    public async Task AMonthWhoseRowsHaveAllExpiredIsDroppedWholeAndAMonthStillKeepingARowLosesOnlyItsExpiredRows()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var partitions = db.Get<PredictionLogPartitions>();
        // Three past months, all ended more than 30 days ago: one wholly expired, one keeping an unmatured scoring
        // prediction (kept whatever its age), one keeping a preference prediction (kept 90 days).
        var (gone, waiting, preferred) = (PredictionLogPartitions.MonthOf(Now.AddDays(-150)), PredictionLogPartitions.MonthOf(Now.AddDays(-110)),
            PredictionLogPartitions.MonthOf(Now.AddDays(-75)));
        foreach (var month in new[] { gone, waiting, preferred })
            await partitions.EnsureAsync(month.From, month.From);
        var unmatured = MonitoringRows.Prediction(1, 7, 3, null, waiting.From.AddDays(2));
        var recentPreference = Preference(Now.AddDays(-75));
        PredictionLogEntry[] kept = [unmatured, recentPreference, Served(Now.AddDays(-1))];
        PredictionLogEntry[] expiredInPartlyKeptMonths = [Served(waiting.From.AddDays(1)), Served(waiting.From.AddDays(3)), Served(preferred.From.AddHours(1))];
        PredictionLogEntry[] wholeMonth = [Served(gone.From), Served(gone.From.AddDays(10)), Preference(gone.From.AddDays(5)), Served(gone.To.AddTicks(-10))];
        await MonitoringRows.InsertAsync(db, [.. kept, .. expiredInPartlyKeptMonths, .. wholeMonth]);
        Assert.Equal(wholeMonth.Length, await db.ScalarAsync($"SELECT count(*) FROM {gone.Table}"));

        var result = await db.Get<IRetentionPass>().DeleteExpiredAsync();

        var left = await PartitionsAsync(db);
        Assert.DoesNotContain(gone.Table, left);
        Assert.Contains(waiting.Table, left);
        Assert.Contains(preferred.Table, left);
        Assert.Equal((1, (long)wholeMonth.Length), (result.Partitions, result.PartitionRows));
        Assert.Equal((3L, 0L, 0L), (result.Served, result.Preference, result.Scoring));
        Assert.Equal(kept.Select(r => r.Id).Order(), (await db.QueryAsync("SELECT id FROM prediction_log", r => r.GetInt64(0))).Order());
        // The next pass has nothing left to do, and the months still keeping rows stay.
        var again = await db.Get<IRetentionPass>().DeleteExpiredAsync();
        Assert.Equal((0, 0L), (again.Partitions, again.Deleted));
        Assert.Equal(left.Order(), (await PartitionsAsync(db)).Order());
    }

    [Fact]
    public async Task EnsuringMonthsIsIdempotentAndLeavesAMonthTheDefaultPartitionHasRowsOfToTheBatchedRules()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var partitions = db.Get<PredictionLogPartitions>();
        // Logged before its month existed: the row is in the default partition, and the month cannot be created over it.
        var early = PredictionLogPartitions.MonthOf(Now.AddDays(-200));
        var row = Served(early.From.AddDays(3));
        await MonitoringRows.InsertAsync(db, [row]);

        var created = await partitions.EnsureAsync(early.From, Now.AddMonths(1));
        var createdAgain = await partitions.EnsureAsync(early.From, Now.AddMonths(1));

        Assert.DoesNotContain(early.Table, created);
        Assert.Contains(PredictionLogPartitions.MonthOf(early.To).Table, created);
        Assert.Empty(createdAgain);
        var months = (await partitions.ListAsync()).Select(m => m.Table).ToList();
        Assert.Contains(PredictionLogPartitions.MonthOf(Now).Table, months);
        Assert.Contains(PredictionLogPartitions.MonthOf(Now.AddMonths(1)).Table, months);
        Assert.Equal(["prediction_log_default"], await db.QueryAsync($"SELECT tableoid::regclass::text FROM prediction_log WHERE id = {row.Id}", r => r.GetString(0)));
        var result = await db.Get<IRetentionPass>().DeleteExpiredAsync();
        // The default partition's row goes by the batched rule (the empty months created before it, whole).
        Assert.Equal((0L, 1L), (result.PartitionRows, result.Served));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log"));
    }

    [Fact]
    public async Task TheLogSizeSumsItsPartitions()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var earlier = PredictionLogPartitions.MonthOf(Now.AddDays(-45));
        await db.Get<PredictionLogPartitions>().EnsureAsync(earlier.From, Now);
        await MonitoringRows.InsertAsync(db, [Served(earlier.From.AddDays(1)), Served(Now.AddDays(-1)), Served(Now.AddDays(-2)), Served(Now.AddYears(-20))]);

        var log = (await db.Get<IMonitoringQueries>().GetAsync()).Log;

        // The parent has no storage of its own: its size alone is 0.
        Assert.Equal(0, await db.ScalarAsync("SELECT pg_total_relation_size('prediction_log')"));
        Assert.Equal(4, log.Rows);
        Assert.Equal(await db.ScalarAsync("SELECT sum(pg_total_relation_size(relid))::bigint FROM pg_partition_tree('prediction_log')"), log.Bytes);
        Assert.True(log.Bytes >= 3 * 8192, $"{log.Bytes} bytes for rows in three partitions");
    }
}
