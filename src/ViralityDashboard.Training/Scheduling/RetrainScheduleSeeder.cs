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
    /// <summary>
    /// The cron trigger of a periodic check (data triggers, drift, the monitoring passes), written when the web app
    /// starts. Unlike a trigger declared with <c>q.AddTrigger</c>, which Quartz's startup replaces every time (losing its
    /// next fire time and any misfire), it is written only when missing or its cron differs, and removed when the check
    /// is disabled. A missed firing is simply done at the next one: each check looks at everything since it last ran.
    /// Returns whether it wrote the trigger.
    /// </summary>
    public static async Task<bool> SeedCheckAsync(IScheduler scheduler, TriggerKey key, JobKey job, string cron, bool enabled, CancellationToken ct)
    {
        var existing = await scheduler.GetTrigger(key, ct) as ICronTrigger;
        if (!enabled)
        {
            if (existing is not null)
                await scheduler.UnscheduleJob(key, ct);
            return false;
        }
        if (existing?.CronExpressionString == cron)
            return false;
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(job)
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await PutAsync(scheduler, trigger, existing is not null, ct);
        return true;
    }

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
