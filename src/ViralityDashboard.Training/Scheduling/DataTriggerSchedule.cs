using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>Puts the data-trigger check's cron trigger into the store when the web app starts (<see cref="CronTriggers.SeedCheckAsync"/>).</summary>
internal sealed class DataTriggerSchedule(ISchedulerFactory schedulers, IOptions<PreferenceOptions> options, ILogger<DataTriggerSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await CronTriggers.SeedCheckAsync(scheduler, TrainingSchedule.DataTriggerCronKey, TrainingSchedule.DataTriggerJobKey, o.DataTriggerCron, o.DataTriggersEnabled, cancellationToken))
            logger.LogInformation("Preference data triggers checked on cron {Cron} (UTC)", o.DataTriggerCron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
