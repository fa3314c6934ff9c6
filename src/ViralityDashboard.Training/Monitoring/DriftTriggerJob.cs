using Quartz;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// The periodic check of the performance-drift trigger. Thin: the service decides and launches.
/// <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered store keeps two checks (from two processes)
/// from both launching a drift run.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DriftTriggerJob(DriftTrigger trigger) : IJob
{
    /// <summary>The maturing job can fire this key right after a pass (<c>scheduler.TriggerJob(DriftTriggerJob.Key)</c>).</summary>
    public static readonly JobKey Key = new("engagement-drift-trigger", "monitoring");
    public static readonly TriggerKey CronKey = new("engagement-drift-trigger-cron", "monitoring");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await trigger.CheckAndLaunchAsync(cancellationToken);
}
