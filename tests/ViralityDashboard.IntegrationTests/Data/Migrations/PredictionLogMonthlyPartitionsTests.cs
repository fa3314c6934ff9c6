using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ViralityDashboard.Data;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.IntegrationTests.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Data.Migrations;

/// <summary>Issue 22 §5: the migration that partitions prediction_log keeps every row, its id, and the ids after it.</summary>
public sealed class PredictionLogMonthlyPartitionsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string MigrationBefore = "20261207183849_SessionsInDatabase";

    [Fact]
    public async Task RowsLoggedBeforeThePartitioningMoveIntoTheirMonthsAndNewRowsGetLaterIds()
    {
        await using var db = await postgres.CreateUnmigratedDatabaseAsync();
        var contexts = db.Get<IDbContextFactory<ViralityDbContext>>();
        await using (var ctx = await contexts.CreateDbContextAsync())
            await ctx.GetService<IMigrator>().MigrateAsync(MigrationBefore);
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-70);
        // In SQL, not through the model: the model has columns added by later migrations (outcome_at).
        await db.ExecuteAsync(FormattableString.Invariant($"""
            INSERT INTO prediction_log (model_version_id, kind, source, feature_set, inputs_hash, predicted_tier, score, served_at, video_id, observed_at, outcome_tier, matured_at)
            VALUES (1, 'engagement', 'scoring', 'seed15', repeat('0', 64), 3, 50, '{old:O}', 1, '{old:O}', NULL, NULL),
                   (1, 'engagement', 'scoring', 'seed15', repeat('0', 64), 3, 50, '{now.AddDays(-1):O}', 2, '{now.AddDays(-1):O}', 4, '{now:O}')
            """));
        const string Rows = "SELECT id || ' ' || video_id || ' ' || coalesce(outcome_tier, 0) FROM prediction_log ORDER BY id";
        var before = await db.QueryAsync(Rows, r => r.GetString(0));

        await using (var ctx = await contexts.CreateDbContextAsync())
            await ctx.Database.MigrateAsync();

        Assert.Equal(before, await db.QueryAsync(Rows, r => r.GetString(0)));
        var month = ViralityDashboard.Training.Monitoring.PredictionLogPartitions.MonthOf(old).Table;
        Assert.Equal([month], await db.QueryAsync("SELECT tableoid::regclass::text FROM prediction_log WHERE video_id = 1", r => r.GetString(0)));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'prediction_log'::regclass"));
        var maxBefore = await db.ScalarAsync("SELECT max(id) FROM prediction_log");
        await MonitoringRows.InsertAsync(db, [MonitoringRows.Prediction(1, 3, 3, null, now)]);
        Assert.Equal(maxBefore + 1, await db.ScalarAsync("SELECT max(id) FROM prediction_log"));
        // Every index of the model, on the parent (and so on each month).
        Assert.Equal(7, await db.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'prediction_log'"));
    }
}
