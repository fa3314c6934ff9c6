using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Data.Telemetry;

namespace ViralityDashboard.Training.Runs;

/// <summary>A gate's decision as the run row records it.</summary>
public sealed record GateOutcome(bool Accepted, IReadOnlyList<string> Reasons);

/// <summary>What the lifecycle needs to know of a kind besides its steps.</summary>
/// <param name="Kind"><c>training_runs.kind</c> and <c>model_versions.kind</c>.</param>
/// <param name="RunLabel">How logs name a run ("Training run", "Preference run").</param>
/// <param name="TagPrefix">The first part of a version tag (<c>eng</c> → <c>eng-20261124-122309-r1</c>).</param>
/// <param name="Cache">The kind's loaded versions: the active one is the one to beat, and an activation invalidates it.</param>
/// <param name="Logger">The kind's logger, so its runs log under its category.</param>
public sealed record ModelKindInfo<TModel>(ModelKind Kind, string RunLabel, string TagPrefix, ModelCache<TModel> Cache, ILogger Logger)
    where TModel : class, ILoadedModel;

/// <summary>
/// What one model kind plugs into <see cref="TrainingLifecycle"/>: its data, fit, metrics and gate rule. The
/// lifecycle calls these in order (<see cref="Begin"/>, <see cref="ReadAsync"/>, <see cref="CompareWith"/>,
/// <see cref="Fit"/>, <see cref="Gate"/>, <see cref="StoreRowsAsync"/>, <see cref="Candidate"/>,
/// <see cref="Complete"/>, <see cref="Outcome"/>); <typeparamref name="TRun"/> carries one run's data between them.
/// </summary>
public interface IModelKindTrainer<TRun, TModel, TOutcome>
    where TModel : class, ILoadedModel
{
    ModelKindInfo<TModel> Info { get; }

    /// <summary>A run taking longer is cancelled and recorded as failed.</summary>
    int TimeBudgetSeconds { get; }

    /// <summary>One run's state; also fills the row's options (and trigger details) before it is first saved.</summary>
    TRun Begin(TrainingRequest request, TrainingRun row);

    /// <summary>Step <c>read</c>: reads the rows, adds its timings and sets the row's video count.</summary>
    Task ReadAsync(TRun run, TrainingRun row, List<StepTiming> timings, CancellationToken ct);

    /// <summary>Step <c>load-active</c>: what the candidate is compared with, from the active version (or none).</summary>
    void CompareWith(TRun run, TModel? active);

    /// <summary>
    /// Step <c>fit</c>, on a training thread (<see cref="TrainingThreads"/>), never the request pool. Returns the timings of the fit's own steps (each also passed to
    /// <paramref name="progress"/> as it ends), or null to record the whole fit as one step <c>fit</c>.
    /// </summary>
    IReadOnlyList<StepTiming>? Fit(TRun run, Action<StepTiming> progress);

    /// <summary>The gate's decision on the fitted candidate; null when this run trains no version.</summary>
    GateOutcome? Gate(TRun run);

    /// <summary>Step <c>store</c>, before the version: rows of the kind's own (the preference snapshot).</summary>
    Task StoreRowsAsync(TRun run, TrainingRun row, CancellationToken ct);

    /// <summary>
    /// The version to store, with its kind-specific fields, and the reason for its activation when the gate
    /// accepted it; null when there is none. The lifecycle sets tag, kind, status, trained-at and run id.
    /// </summary>
    (ModelVersion Version, string? Reason)? Candidate(TRun run, TrainingRun row);

    /// <summary>Fills the row's warnings and metrics of a run that ended, and logs them.</summary>
    void Complete(TRun run, TrainingRun row, string? versionTag);

    TOutcome Outcome(TRun run, TrainingRun row, IReadOnlyList<StepTiming> timings, string? versionTag, bool activated);
}

/// <summary>
/// Owns a training run of any kind from queue to finish: the advisory lock, the <c>training_runs</c> row, the time
/// budget, the steps and their live progress, the gate's consequences, storing and activating the version, and
/// the finished row. The kind (<see cref="IModelKindTrainer{TRun,TModel,TOutcome}"/>) brings the rest.
/// Each run is a span with one child per step (<see cref="RunSpans"/>) and a measurement of its duration.
/// </summary>
public sealed class TrainingLifecycle(
    IDbContextFactory<ViralityDbContext> contexts,
    ModelRegistryStore registry,
    NpgsqlDataSource dataSource,
    TrainingThreads threads,
    TimeProvider clock,
    ViralityMetrics metrics)
{
    public const string LockHeldMessage = "Another training run is in progress (its advisory lock is held); this launch was refused.";

    /// <summary>Runs once. Never throws for a failed run: the outcome (and its row) says failed and why.</summary>
    public async Task<TOutcome> RunAsync<TRun, TModel, TOutcome>(IModelKindTrainer<TRun, TModel, TOutcome> kind, TrainingRequest request, RunTrigger trigger, CancellationToken ct)
        where TModel : class, ILoadedModel
    {
        var row = new TrainingRun
        {
            Kind = kind.Info.Kind,
            Trigger = trigger,
            Status = RunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            RequestId = request.RequestId,
        };
        var run = kind.Begin(request, row);
        var timings = new List<StepTiming>();
        using var spans = new RunSpans(kind.Info.Kind, trigger);

        var guard = await TrainingLock.TryAcquireAsync(dataSource, ct);
        if (guard is null)
        {
            row.Status = RunStatus.Failed;
            row.Error = LockHeldMessage;
            var refused = await FinishAsync(kind, run, row, timings, null, false, spans);
            kind.Info.Logger.LogWarning("{Run} {RunId} refused: {Reason}", kind.Info.RunLabel, row.Id, LockHeldMessage);
            return refused;
        }

        row.LockBackendPid = guard.BackendPid; // while this session holds the lock, the run is alive (StaleRunSweeper)
        Task? fit = null;
        var step = "start";
        try
        {
            await SaveAsync(row, ct);
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(TimeSpan.FromSeconds(kind.TimeBudgetSeconds));
            try
            {
                step = "read";
                spans.Step(step);
                await kind.ReadAsync(run, row, timings, budget.Token);
                ReportProgress(kind, row, timings);

                step = "load-active";
                spans.Step(step);
                var sw = Stopwatch.StartNew();
                kind.CompareWith(run, await kind.Info.Cache.GetActiveAsync(budget.Token));
                timings.Add(new StepTiming("load-active", sw.Elapsed.TotalMilliseconds));
                ReportProgress(kind, row, timings);

                step = "fit";
                spans.Step(step);
                sw.Restart();
                // The fit is synchronous and CPU-bound: on the training threads, so requests and pages keep the
                // pool. The budget abandons the wait, and the lock is only released once the fit really ends (see
                // finally), so a timed-out fit never overlaps the next one.
                var live = new List<StepTiming>(timings);
                void Progress(StepTiming done)
                {
                    List<StepTiming> snapshot;
                    lock (live)
                    {
                        live.Add(done);
                        snapshot = [.. live];
                    }
                    spans.Ended(done);
                    ReportProgress(kind, row, snapshot);
                }
                var fitting = threads.Run(() => kind.Fit(run, Progress));
                fit = fitting;
                var fitSteps = await fitting.WaitAsync(budget.Token);
                timings.AddRange(fitSteps ?? [new StepTiming("fit", sw.Elapsed.TotalMilliseconds)]);

                step = "store";
                spans.Step(step);
                sw.Restart();
                var gate = kind.Gate(run);
                var version = await StoreAsync(kind, run, row, gate, trigger, budget.Token);
                timings.Add(new StepTiming("store", sw.Elapsed.TotalMilliseconds));
                spans.EndStep();

                row.Status = gate is null || gate.Accepted ? RunStatus.Completed : RunStatus.SkippedByGate;
                row.GateDecision = gate is null ? null : gate.Accepted ? GateVerdict.Accepted : GateVerdict.Rejected;
                row.GateReasons = gate?.Reasons.ToArray() ?? [];
                row.ModelVersionId = version?.Id;
                kind.Complete(run, row, version?.VersionTag);
                return await FinishAsync(kind, run, row, timings, version?.VersionTag, gate?.Accepted ?? false, spans);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                row.Status = RunStatus.Failed;
                row.Error = $"Time budget of {kind.TimeBudgetSeconds} s exceeded during step '{step}'; the run was cancelled and nothing was stored.";
                kind.Info.Logger.LogError("{Run} {RunId} failed: {Error}", kind.Info.RunLabel, row.Id, row.Error);
                return await FinishAsync(kind, run, row, timings, null, false, spans);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
        {
            row.Status = RunStatus.Failed;
            row.Error = e is OperationCanceledException ? $"Cancelled during step '{step}' (shutdown or caller)." : $"{step}: {e.Message}";
            kind.Info.Logger.LogError(e, "{Run} {RunId} failed in step {Step}", kind.Info.RunLabel, row.Id, step);
            return await FinishAsync(kind, run, row, timings, null, false, spans);
        }
        finally
        {
            if (fit is { IsCompleted: false })
                _ = fit.ContinueWith(_ => guard.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            else
                await guard.DisposeAsync();
        }
    }

    /// <summary>The kind's own rows, then its version: stored, and activated (cache invalidated) when the gate accepted it.</summary>
    private async Task<ModelVersion?> StoreAsync<TRun, TModel, TOutcome>(IModelKindTrainer<TRun, TModel, TOutcome> kind, TRun run, TrainingRun row,
        GateOutcome? gate, RunTrigger trigger, CancellationToken ct)
        where TModel : class, ILoadedModel
    {
        await kind.StoreRowsAsync(run, row, ct);
        if (kind.Candidate(run, row) is not { } candidate)
            return null;
        var (version, reason) = candidate;
        var accepted = gate?.Accepted ?? false;
        version.TrainedAt = clock.GetUtcNow();
        version.VersionTag = $"{kind.Info.TagPrefix}-{version.TrainedAt:yyyyMMdd-HHmmss}-r{row.Id}";
        version.Kind = kind.Info.Kind;
        version.Status = accepted ? VersionStatus.Inactive : VersionStatus.Rejected;
        version.TrainingRunId = row.Id;
        var stored = await registry.StoreAsync(version, activate: accepted, changedBy: $"training:{trigger.Wire()}", accepted ? reason : null, ct);
        if (accepted)
            kind.Info.Cache.Invalidate(stored);
        return stored;
    }

    /// <summary>
    /// Writes the steps finished so far and the row count to the running row, so a page on any node can show the
    /// live step. Synchronous on purpose: it is called from the fitting thread between steps, once per step. A
    /// failure here only costs the live view, never the run.
    /// </summary>
    private void ReportProgress<TRun, TModel, TOutcome>(IModelKindTrainer<TRun, TModel, TOutcome> kind, TrainingRun row, IReadOnlyList<StepTiming> steps)
        where TModel : class, ILoadedModel
    {
        var (runId, rows) = (row.Id, row.VideoCount);
        try
        {
            var json = TrainingJson.Serialize(steps);
            using var db = contexts.CreateDbContext();
            db.TrainingRuns.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                .ExecuteUpdate(u => u.SetProperty(r => r.Timings, json).SetProperty(r => r.VideoCount, rows));
        }
        catch (Exception e) when (e is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            kind.Info.Logger.LogWarning(e, "Could not record the progress of {Run} {RunId}", kind.Info.RunLabel.ToLowerInvariant(), runId);
        }
    }

    private async Task<TOutcome> FinishAsync<TRun, TModel, TOutcome>(IModelKindTrainer<TRun, TModel, TOutcome> kind, TRun run, TrainingRun row,
        List<StepTiming> timings, string? tag, bool activated, RunSpans spans)
        where TModel : class, ILoadedModel
    {
        row.FinishedAt = clock.GetUtcNow();
        row.Timings = TrainingJson.Serialize(timings);
        spans.Finish(row);
        metrics.TrainingDuration.Record((row.FinishedAt.Value - row.StartedAt).TotalSeconds,
            new KeyValuePair<string, object?>("model.kind", kind.Info.Kind.Wire()), new KeyValuePair<string, object?>("training.status", row.Status.Wire()));
        // Recorded even when the caller's token is cancelled: a run must never stay "running".
        await SaveAsync(row, CancellationToken.None);
        return kind.Outcome(run, row, timings, tag, activated);
    }

    private async Task SaveAsync(TrainingRun row, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (row.Id == 0)
            db.TrainingRuns.Add(row);
        else
            db.TrainingRuns.Update(row);
        await db.SaveChangesAsync(ct);
    }
}
