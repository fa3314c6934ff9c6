using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>Identities of the monitoring jobs and their cron triggers in the shared Quartz store.</summary>
public static class MonitoringSchedule
{
    public static readonly JobKey ScoringJobKey = new("monitoring-scoring", "monitoring");
    public static readonly JobKey MaturingJobKey = new("monitoring-maturing", "monitoring");
    public static readonly TriggerKey ScoringCronKey = new("monitoring-scoring-cron", "monitoring");
    public static readonly TriggerKey MaturingCronKey = new("monitoring-maturing-cron", "monitoring");
    public static readonly JobKey RetentionJobKey = new("monitoring-retention", "monitoring");
    public static readonly TriggerKey RetentionCronKey = new("monitoring-retention-cron", "monitoring");
}

/// <summary>
/// Scores newly seen videos, then matures what is due (new predictions of old videos may be mature already) and checks
/// the drift rule, in this one firing: a follow-up job triggered from here could be lost when the node running it is a
/// CLI process that leaves the cluster as soon as its own work is done. Thin.
/// <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered store: one pass at a time across processes.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ScoringJob(IScoringPass scoring, IMaturingPass maturing, DriftTrigger drift) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await scoring.ScoreNewVideosAsync(cancellationToken);
        await MaturingJob.MatureThenCheckDriftAsync(maturing, drift, cancellationToken);
    }
}

/// <summary>Gives mature videos' predictions their outcome and updates realized metrics, then checks the drift rule. Thin.</summary>
[DisallowConcurrentExecution]
public sealed class MaturingJob(IMaturingPass maturing, DriftTrigger drift) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await MatureThenCheckDriftAsync(maturing, drift, cancellationToken);

    /// <summary>
    /// New outcomes are what can move the active version's realized accuracy, so the drift rule is checked right after
    /// them rather than at its next cron; its cooldown and its check for a queued drift run keep this to one retrain.
    /// </summary>
    internal static async Task MatureThenCheckDriftAsync(IMaturingPass maturing, DriftTrigger drift, CancellationToken ct)
    {
        if ((await maturing.MatureAsync(ct)).Matured > 0)
            await drift.CheckAndLaunchAsync(ct);
    }
}

/// <summary>
/// Deletes the prediction log's expired rows (<see cref="PredictionLogRetentionOptions"/>). Thin.
/// <see cref="DisallowConcurrentExecutionAttribute"/> with the clustered store: one pass at a time across processes.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(IRetentionPass retention) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await retention.DeleteExpiredAsync(cancellationToken);
}

/// <summary>Fires the scoring job after an import, through Quartz: the import's request never scores inline.</summary>
public interface IScoringTrigger
{
    /// <summary>Queues a scoring pass (and the maturing pass after it) on whichever node of the cluster takes it.</summary>
    Task TriggerAsync(CancellationToken ct = default);
}

public sealed class ScoringTrigger(ISchedulerFactory schedulers, ILogger<ScoringTrigger> logger) : IScoringTrigger
{
    public async Task TriggerAsync(CancellationToken ct = default)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            await scheduler.TriggerJob(MonitoringSchedule.ScoringJobKey, ct);
        }
        catch (SchedulerException e)
        {
            // The import is committed either way; the scheduled pass scores these videos later.
            logger.LogWarning(e, "Could not queue the scoring job after an import; the scheduled pass will score the new videos");
        }
    }
}

/// <summary>The import page's commands, followed by a scoring pass when the import wrote anything.</summary>
internal sealed class ScoringAfterImport(IVideoImportCommands inner, IScoringTrigger scoring) : IVideoImportCommands
{
    public async Task<ImportReport> ImportAsync(Stream file, IProgress<long>? progress, CancellationToken ct = default)
    {
        var report = await inner.ImportAsync(file, progress, ct);
        if (report.Inserted + report.Updated > 0)
            await scoring.TriggerAsync(CancellationToken.None);
        return report;
    }
}

/// <summary>Writes the scoring, maturing and retention jobs' cron triggers into the store when the web app starts (<see cref="CronTriggers.SeedCheckAsync"/>).</summary>
internal sealed class MonitoringScheduleSeeder(
    ISchedulerFactory schedulers, IOptions<MonitoringOptions> options, IOptions<PredictionLogRetentionOptions> retention,
    ILogger<MonitoringScheduleSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var r = retention.Value;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var (key, job, cron, enabled) in new[]
                 {
                     (MonitoringSchedule.ScoringCronKey, MonitoringSchedule.ScoringJobKey, o.ScoringCron, o.SchedulesEnabled),
                     (MonitoringSchedule.MaturingCronKey, MonitoringSchedule.MaturingJobKey, o.MaturingCron, o.SchedulesEnabled),
                     (MonitoringSchedule.RetentionCronKey, MonitoringSchedule.RetentionJobKey, r.Cron, r.Enabled),
                 })
            if (await CronTriggers.SeedCheckAsync(scheduler, key, job, cron, enabled, cancellationToken))
                logger.LogInformation("{Job} runs on cron {Cron} (UTC)", job.Name, cron);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
