using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>
/// Puts the data-trigger check's cron trigger into the store when the web app starts. Unlike a trigger
/// declared with <c>q.AddTrigger</c>, which Quartz's startup replaces every time (losing its next fire time
/// and any misfire), this one is only written when it is missing or its cron differs from the setting, and
/// removed when the checks are disabled.
/// </summary>
internal sealed class DataTriggerSchedule(ISchedulerFactory schedulers, IOptions<PreferenceOptions> options, ILogger<DataTriggerSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var existing = await scheduler.GetTrigger(TrainingSchedule.DataTriggerCronKey, cancellationToken) as ICronTrigger;
        if (!o.DataTriggersEnabled)
        {
            if (existing is not null)
                await scheduler.UnscheduleJob(TrainingSchedule.DataTriggerCronKey, cancellationToken);
            return;
        }
        if (existing?.CronExpressionString == o.DataTriggerCron)
            return;
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TrainingSchedule.DataTriggerCronKey)
            .ForJob(TrainingSchedule.DataTriggerJobKey)
            // A missed check is simply done at the next one: the check looks at all ratings since its watermark.
            .WithCronSchedule(o.DataTriggerCron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await CronTriggers.PutAsync(scheduler, trigger, existing is not null, cancellationToken);
        logger.LogInformation("Preference data triggers checked on cron {Cron} (UTC)", o.DataTriggerCron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
