using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Puts the drift check's cron trigger into the store when the web app starts, as <see cref="DataTriggerSchedule"/> does
/// for the preference triggers: written only when missing or changed, removed when the check is disabled.
/// </summary>
internal sealed class DriftTriggerSchedule(ISchedulerFactory schedulers, IOptions<DriftTriggerOptions> options, ILogger<DriftTriggerSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var existing = await scheduler.GetTrigger(DriftTriggerJob.CronKey, cancellationToken) as ICronTrigger;
        if (!o.Enabled)
        {
            if (existing is not null)
                await scheduler.UnscheduleJob(DriftTriggerJob.CronKey, cancellationToken);
            return;
        }
        if (existing?.CronExpressionString == o.Cron)
            return;
        var trigger = TriggerBuilder.Create()
            .WithIdentity(DriftTriggerJob.CronKey)
            .ForJob(DriftTriggerJob.Key)
            // A missed check is simply done at the next one: it looks at the latest matured predictions, whenever it runs.
            .WithCronSchedule(o.Cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await CronTriggers.PutAsync(scheduler, trigger, existing is not null, cancellationToken);
        logger.LogInformation("Engagement drift trigger checked on cron {Cron} (UTC)", o.Cron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
