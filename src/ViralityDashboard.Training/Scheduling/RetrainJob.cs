using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Quartz;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Preference;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// The scheduled and launched-now retrain, of either model kind. Thin: it only turns the job data into a request and calls the
/// training service. <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered ADO store means a
/// second firing waits (its trigger is blocked) until the first finishes, in whichever process it runs. It requests
/// recovery: when a node dies during a run, another node runs the request again (<see cref="IJobExecutionContext.Recovering"/>),
/// after <see cref="StaleRunSweeper"/> has marked the dead node's row interrupted, once: a request whose rerun ended
/// with its process too is recorded failed instead (<see cref="StaleRunSweeper.GiveUpOnRecoveryAsync"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(EngagementTrainingService training, PreferenceTrainingService preference, StaleRunSweeper sweeper) : IJob
{
    public const string RequestKey = "request";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var json = context.MergedJobDataMap.GetString(RequestKey);
        var (request, trigger) = json is null
            ? (new TrainingRequest(), RunTrigger.Schedule)
            : (JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options)!, RunTrigger.Manual);
        trigger = request.Trigger ?? trigger;
        // No run is in progress while this firing holds the job (DisallowConcurrentExecution), so any row still
        // "running" whose lock is gone belongs to a process that ended; this is also where a recovered firing lands.
        await sweeper.SweepAsync(cancellationToken);
        var kind = request.IsPreference ? ModelKind.Preference : ModelKind.Engagement;
        if (context.Recovering && await sweeper.GiveUpOnRecoveryAsync(kind, trigger, request.RequestId, cancellationToken))
            return;
        // Both kinds go through this one job so that every fit, whatever its kind, queues behind the running one.
        if (request.IsPreference)
            await preference.RunAsync(request, trigger, cancellationToken);
        else if ((await training.RunAsync(request, trigger, cancellationToken)).Activated)
            // A first champion of its feature set scores the videos seen so far (a fresh install's first realized weeks).
            await context.Scheduler.TriggerJob(Monitoring.MonitoringSchedule.ScoringJobKey, cancellationToken);
    }
}
