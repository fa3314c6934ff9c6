using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// Puts the configured cron (<c>Virality:Training:Cron</c>) on the retrain trigger when the app starts,
/// unless the owner has set a schedule on the Training page since: that choice is stored in the shared
/// Quartz store, marked by its description, and wins over configuration until the owner changes it again.
/// </summary>
public sealed class RetrainScheduleSeeder(ISchedulerFactory schedulers, IOptions<EngagementTrainingOptions> options, ILogger<RetrainScheduleSeeder> logger) : IHostedService
{
    public const string EditedDescription = "Set on the Training page";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Cron.Trim();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var existing = await scheduler.GetTrigger(TrainingSchedule.CronTriggerKey, cancellationToken) as ICronTrigger;
        if (existing?.CronExpressionString == configured)
            return;
        if (existing?.Description == EditedDescription)
        {
            logger.LogInformation("Keeping the retrain schedule set on the Training page ({Stored}) over the configured {Configured}", existing.CronExpressionString, configured);
            return;
        }
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TrainingSchedule.CronTriggerKey)
            .ForJob(TrainingSchedule.JobKey)
            .WithDescription("From configuration (Virality:Training:Cron)")
            .WithCronSchedule(configured, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await CronTriggers.PutAsync(scheduler, trigger, existing is not null, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Writing a cron trigger the seeders computed, whether or not one is stored yet.</summary>
internal static class CronTriggers
{
    public static async Task PutAsync(IScheduler scheduler, ITrigger trigger, bool exists, CancellationToken ct)
    {
        if (exists)
        {
            await scheduler.RescheduleJob(trigger.Key, trigger, ct);
            return;
        }
        try
        {
            await scheduler.ScheduleJob(trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // another node of the cluster wrote it at the same moment
        }
    }
}
