using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Quartz;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Training.Scheduling;

/// <summary>Launching a run, as the Training page and the API do it. Callers check the owner first (<c>OwnerGuard</c> on pages, the Owner policy on the API).</summary>
public interface ITrainingLauncher
{
    /// <summary>Fires a retrain through Quartz; returns the request id the run row will carry.</summary>
    Task<Guid> LaunchAsync(TrainingRequest request, CancellationToken ct = default);
}

/// <summary>
/// Launch-now through Quartz, so a launch from the CLI or a page queues behind a running retrain instead
/// of fitting beside it. The caller's process runs a scheduler node (the CLI starts one for the duration);
/// whichever node of the cluster executes the trigger, the outcome is found by request id in training_runs.
/// </summary>
public sealed class TrainingLauncher(ISchedulerFactory schedulers, IDbContextFactory<ViralityDbContext> contexts, TimeProvider clock) : ITrainingLauncher
{
    /// <summary>Fires the retrain job now with this request; returns the request id to wait on.</summary>
    public async Task<Guid> LaunchAsync(TrainingRequest request, CancellationToken ct = default)
    {
        var id = request.RequestId ?? Guid.NewGuid();
        var scheduler = await schedulers.GetScheduler(ct);
        var data = new JobDataMap { [RetrainJob.RequestKey] = JsonSerializer.Serialize(request with { RequestId = id }, TrainingJson.Options) };
        await scheduler.TriggerJob(TrainingSchedule.JobKey, data, ct);
        return id;
    }

    /// <summary>
    /// Whether a launched request matching <paramref name="match"/> is still waiting (or running) in the
    /// shared store, from any process: a one-shot trigger stays stored until its firing completes.
    /// </summary>
    public async Task<bool> HasPendingAsync(Func<TrainingRequest, bool> match, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var headers = await scheduler.QueryTriggers(new TriggerQuery { Job = TrainingSchedule.JobKey }, ct);
        var keys = headers.Items.Where(h => h.Key != TrainingSchedule.CronTriggerKey).Select(h => h.Key).ToArray();
        if (keys.Length == 0)
            return false;
        foreach (var trigger in await scheduler.GetTriggers(keys, ct))
        {
            if (trigger.JobDataMap.GetString(RetrainJob.RequestKey) is { } json
                && JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options) is { } request
                && match(request))
                return true;
        }
        return false;
    }

    /// <summary>Waits until the run of this request has finished (any node), or the timeout passes (null).</summary>
    public async Task<TrainingRun?> WaitAsync(Guid requestId, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var run = await db.TrainingRuns.AsNoTracking().Where(r => r.RequestId == requestId && r.Status != RunStatus.Running)
                    .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
                if (run is not null)
                    return run;
            }
            if (clock.GetUtcNow() > deadline)
                return null;
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct);
        }
    }
}
