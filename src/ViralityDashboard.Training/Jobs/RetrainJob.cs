using System.Text.Json;
using Quartz;

namespace ViralityDashboard.Training.Jobs;

/// <summary>
/// The scheduled and launched-now retrain. Thin: it only turns the job data into a request and calls the
/// training service. <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered ADO store means a
/// second firing waits (its trigger is blocked) until the first finishes, in whichever process it runs.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(EngagementTrainingService training) : IJob
{
    public const string RequestKey = "request";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var json = context.MergedJobDataMap.GetString(RequestKey);
        var (request, trigger) = json is null
            ? (new TrainingRequest(), TrainingTriggers.Schedule)
            : (JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options)!, TrainingTriggers.Manual);
        await training.RunAsync(request, trigger, cancellationToken);
    }
}
