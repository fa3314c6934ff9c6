using System.Data.Common;
using Quartz;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// A short-lived node of the Quartz cluster (a CLI verb that starts the scheduler) leaving it cleanly. Quartz's
/// clustered store keeps a node's check-in row in <c>qrtz_scheduler_state</c> after <c>Shutdown</c> (JobStoreSupport.Shutdown
/// only stops its cluster manager), so the next node to check in takes the row for a failed node, recovers it and logs
/// "ClusterManager: detected 1 failed or restarted instances" after every such verb.
/// </summary>
public static class SchedulerShutdown
{
    /// <summary>
    /// Shuts the scheduler down, waiting for its jobs, then removes its check-in row, unless it still owns fired
    /// triggers: those are what cluster recovery is for, so such a node is left to look failed.
    /// </summary>
    public static async Task AndLeaveClusterAsync(IScheduler scheduler, DbDataSource database, CancellationToken ct = default)
    {
        var instance = scheduler.SchedulerInstanceId;
        await scheduler.Shutdown(waitForJobsToComplete: true, ct);
        await using var command = database.CreateCommand($"""
            DELETE FROM {TrainingSchedule.TablePrefix}scheduler_state s
            WHERE s.sched_name = $1 AND s.instance_name = $2
              AND NOT EXISTS (SELECT 1 FROM {TrainingSchedule.TablePrefix}fired_triggers f WHERE f.sched_name = $1 AND f.instance_name = $2)
            """);
        command.Parameters.Add(Parameter(command, TrainingSchedule.SchedulerName));
        command.Parameters.Add(Parameter(command, instance));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static DbParameter Parameter(DbCommand command, string value)
    {
        var p = command.CreateParameter();
        p.Value = value;
        return p;
    }
}
