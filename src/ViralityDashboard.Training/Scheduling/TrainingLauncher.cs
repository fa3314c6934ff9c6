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

    /// <summary>Launched runs of <paramref name="kind"/> still waiting for their turn (no running row yet), oldest first.</summary>
    Task<IReadOnlyList<QueuedRun>> QueuedAsync(ModelKind kind, CancellationToken ct = default);
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
    public async Task<bool> HasPendingAsync(Func<TrainingRequest, bool> match, CancellationToken ct = default) =>
        (await PendingAsync(ct)).Any(p => match(p.Request));

    /// <summary>
    /// Launched runs of <paramref name="kind"/> still waiting for their turn, oldest first: their trigger is stored (any
    /// process launched it) and no run row of theirs is running yet. The Training page lists them above the finished runs.
    /// </summary>
    public async Task<IReadOnlyList<QueuedRun>> QueuedAsync(ModelKind kind, CancellationToken ct = default)
    {
        var pending = (await PendingAsync(ct)).Where(p => (p.Request.IsPreference ? ModelKind.Preference : ModelKind.Engagement) == kind).ToList();
        if (pending.Count == 0)
            return [];
        var ids = pending.Select(p => p.Request.RequestId).OfType<Guid>().ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var running = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.RequestId != null && ids.Contains(r.RequestId.Value) && r.Status == RunStatus.Running)
            .Select(r => r.RequestId!.Value).ToListAsync(ct);
        return pending.Where(p => p.Request.RequestId is not { } id || !running.Contains(id))
            .OrderBy(p => p.Since)
            .Select(p => new QueuedRun(p.Request.RequestId, p.Request.Trigger ?? RunTrigger.Manual, p.Request.Trainer?.Wire(), p.Request.FeatureSet?.Name,
                p.Request.RequestedBy, p.Since))
            .ToList();
    }

    /// <summary>Every launched request whose one-shot trigger is still stored (waiting or firing), with when it was launched.</summary>
    private async Task<List<(TrainingRequest Request, DateTimeOffset Since)>> PendingAsync(CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var headers = await scheduler.QueryTriggers(new TriggerQuery { Job = TrainingSchedule.JobKey }, ct);
        var keys = headers.Items.Where(h => h.Key != TrainingSchedule.CronTriggerKey).Select(h => h.Key).ToArray();
        var pending = new List<(TrainingRequest, DateTimeOffset)>();
        if (keys.Length == 0)
            return pending;
        foreach (var trigger in await scheduler.GetTriggers(keys, ct))
        {
            if (trigger.JobDataMap.GetString(RetrainJob.RequestKey) is { } json
                && JsonSerializer.Deserialize<TrainingRequest>(json, TrainingJson.Options) is { } request)
                pending.Add((request, trigger.StartTimeUtc));
        }
        return pending;
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

/// <summary>A launched run waiting for its turn (no run row yet): what the run history shows as "queued".</summary>
/// <param name="Trainer">The trainer asked for (wire name); null for the configured default.</param>
/// <param name="FeatureSet">The feature set asked for; null for the configured default.</param>
public sealed record QueuedRun(Guid? RequestId, RunTrigger Trigger, string? Trainer, string? FeatureSet, string? RequestedBy, DateTimeOffset Since);
