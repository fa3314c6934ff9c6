using System.Data.Common;
using Quartz;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.IntegrationTests.Training.Scheduling;

/// <summary>
/// Issue 24 §4: a CLI verb that starts the clustered scheduler (<c>train</c>) left its check-in row behind, so the
/// next node logged "ClusterManager: detected 1 failed or restarted instances" after every such verb.
/// </summary>
public sealed class SchedulerShutdownTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static Task<long> RowsOf(TestDatabase db, string instance) =>
        db.ScalarAsync($"SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = '{TrainingSchedule.SchedulerName}' AND instance_name = '{instance}'");

    [Fact]
    public async Task QuartzKeepsANodesCheckInRowAfterAPlainShutdown()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        var instance = scheduler.SchedulerInstanceId;
        Assert.Equal(1, await RowsOf(db, instance));

        await scheduler.Shutdown(waitForJobsToComplete: true);

        // Why SchedulerShutdown.AndLeaveClusterAsync exists: the next node takes this row for a failed instance.
        Assert.Equal(1, await RowsOf(db, instance));
    }

    [Fact]
    public async Task ANodeThatLeavesCleanlyRemovesItsCheckInRowAndLeavesTheOthers()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        var instance = scheduler.SchedulerInstanceId;
        Assert.Equal(1, await RowsOf(db, instance));
        // Another node (the web app) that checked in when this one did, with an interval long enough to stay alive throughout.
        await db.ScalarAsync($"""
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval, quartz_version)
            SELECT sched_name, 'the-web-app', last_checkin_time, checkin_interval * 1000, quartz_version FROM qrtz_scheduler_state WHERE instance_name = '{instance}'
            RETURNING 1
            """);

        await SchedulerShutdown.AndLeaveClusterAsync(scheduler, db.Get<DbDataSource>());

        Assert.Equal(0, await RowsOf(db, instance));
        Assert.Equal(1, await RowsOf(db, "the-web-app"));
    }
}
