using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

public sealed class StaleRunSweeperTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    // The training lock's key (TrainingLock.Key, internal there).
    private const long TrainingLockKey = 0x5649524C54524E31;

    [Fact]
    public async Task TheStartupSweepMarksARunWhoseLockNobodyHoldsFailedWithAFinishTime()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var id = await InsertRunningAsync(db, lockBackendPid: 999_999);
        var before = DateTimeOffset.UtcNow;

        await StartupSweepAsync(db);

        var run = await RunAsync(db, id);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("interrupted (process ended)", run.Error);
        Assert.NotNull(run.FinishedAt);
        Assert.InRange(run.FinishedAt!.Value, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task ARunWhoseLockIsHeldByALiveSessionIsLeftRunning()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // Another process's live run: its session holds the training lock.
        await using var live = new NpgsqlConnection(db.ConnectionString);
        await live.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({TrainingLockKey})", live))
            await take.ExecuteNonQueryAsync();
        var alive = await InsertRunningAsync(db, lockBackendPid: live.ProcessID);
        var dead = await InsertRunningAsync(db, lockBackendPid: live.ProcessID + 1);

        await StartupSweepAsync(db);

        var run = await RunAsync(db, alive);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Null(run.FinishedAt);
        Assert.Null(run.Error);
        Assert.Equal(RunStatus.Failed, (await RunAsync(db, dead)).Status);
    }

    [Fact]
    public async Task ARunWithNoRecordedSessionIsLeftAloneWhileAnySessionHoldsTheLockAndFailedOnceNoneDoes()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var id = await InsertRunningAsync(db, lockBackendPid: null);
        await using (var live = new NpgsqlConnection(db.ConnectionString))
        {
            await live.OpenAsync();
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({TrainingLockKey})", live);
            await take.ExecuteNonQueryAsync();

            await StartupSweepAsync(db);
            Assert.Equal(RunStatus.Running, (await RunAsync(db, id)).Status);

            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({TrainingLockKey})", live);
            await release.ExecuteNonQueryAsync();
        }

        await StartupSweepAsync(db);
        Assert.Equal(RunStatus.Failed, (await RunAsync(db, id)).Status);
    }

    [Fact]
    public async Task TwoProcessesSweepingAtOnceSettleEachRunOnce()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using var other = postgres.Attach(db);
        var ids = new[] { await InsertRunningAsync(db, 999_998), await InsertRunningAsync(db, 999_997) };

        var swept = await Task.WhenAll(db.Get<StaleRunSweeper>().SweepAsync(), other.Get<StaleRunSweeper>().SweepAsync());

        Assert.Equal(ids.Order(), swept.SelectMany(s => s).Order());
    }

    /// <summary>As the host starts it: through its hosted services.</summary>
    private static async Task StartupSweepAsync(TestDatabase db)
    {
        var sweeper = db.Services.GetServices<IHostedService>().OfType<StaleRunSweeper>().Single();
        await sweeper.StartAsync(CancellationToken.None);
    }

    private static async Task<long> InsertRunningAsync(TestDatabase db, int? lockBackendPid)
    {
        await using var context = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var row = new TrainingRun
        {
            Kind = ModelKind.Engagement,
            Trigger = RunTrigger.Manual,
            Status = RunStatus.Running,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            RequestId = Guid.NewGuid(),
            LockBackendPid = lockBackendPid,
        };
        context.TrainingRuns.Add(row);
        await context.SaveChangesAsync();
        return row.Id;
    }

    private static async Task<TrainingRun> RunAsync(TestDatabase db, long id)
    {
        await using var context = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        return await context.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }
}
