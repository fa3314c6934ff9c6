using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Quartz;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// The scheduled and launched-now retrain, of either model kind. Thin: it only turns the job data into a request and calls the
/// training service. <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered ADO store means a
/// second firing waits (its trigger is blocked) until the first finishes, in whichever process it runs.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(EngagementTrainingService training, PreferenceTrainingService preference) : IJob
{
    public const string RequestKey = "request";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var json = context.MergedJobDataMap.GetString(RequestKey);
        var (request, trigger) = json is null
            ? (new TrainingRequest(), RunTrigger.Schedule)
            : (JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options)!, RunTrigger.Manual);
        trigger = request.Trigger ?? trigger;
        // Both kinds go through this one job so that every fit, whatever its kind, queues behind the running one.
        if (request.IsPreference)
            await preference.RunAsync(request, trigger, cancellationToken);
        else
            await training.RunAsync(request, trigger, cancellationToken);
    }
}
