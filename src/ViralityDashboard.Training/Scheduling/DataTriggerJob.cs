using Quartz;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// The periodic check of the preference model's data-driven retrain triggers. Thin: the service decides and
/// launches. <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered store keeps two checks
/// (from two processes) from both firing on the same ratings.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DataTriggerJob(RetrainTriggerService triggers) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await triggers.CheckAndLaunchAsync(cancellationToken);
}
