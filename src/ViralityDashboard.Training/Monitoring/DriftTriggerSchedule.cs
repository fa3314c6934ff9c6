using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>Puts the drift check's cron trigger into the store when the web app starts (<see cref="CronTriggers.SeedCheckAsync"/>).</summary>
internal sealed class DriftTriggerSchedule(ISchedulerFactory schedulers, IOptions<DriftTriggerOptions> options, ILogger<DriftTriggerSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await CronTriggers.SeedCheckAsync(scheduler, DriftTriggerJob.CronKey, DriftTriggerJob.Key, o.Cron, o.Enabled, cancellationToken))
            logger.LogInformation("Engagement drift trigger checked on cron {Cron} (UTC)", o.Cron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
