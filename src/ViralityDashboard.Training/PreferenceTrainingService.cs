using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training;

/// <summary>The rows a preference run trains on, oldest rating first, and the split it would use; <c>export-ratings</c> writes exactly these.</summary>
/// <param name="Sides">"train" or "test" per row when the milestone trains a model, else null.</param>
public sealed record PreparedPreferenceData(
    IReadOnlyList<PreferenceSourceRow> Sources,
    IReadOnlyList<PreferenceRow> Rows,
    PreferenceRowFilter Filter,
    PreferenceTrainingOptions Options,
    MilestonePlan Plan,
    IReadOnlyList<string>? Sides)
{
    public RatingWatermark? LastRating => Sources.Count == 0 ? null : Sources[^1].Watermark;
}

/// <summary>How a preference run ended: the milestone it reached, what the next one unlocks, and the version it stored.</summary>
/// <param name="Status">completed (also when the milestone trains no model yet), skipped_by_gate or failed.</param>
public sealed record PreferenceTrainingOutcome(
    long RunId,
    RunStatus Status,
    RunTrigger Trigger,
    int RowCount,
    PreferenceMilestone Milestone,
    string Summary,
    string? NextUnlocks,
    int? RowsToNext,
    string? VersionTag,
    bool Activated,
    long? SnapshotId,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Warnings,
    string? Error,
    IReadOnlyList<StepTiming> Timings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PreferenceTrainingResult? Result);

/// <summary>
/// One preference run (seed 003), whoever starts it (the Quartz job, a data trigger, a test): read the rating
/// rows → <see cref="PreferenceTrainingPipeline"/> with the active preference version as the one to beat →
/// snapshot at correlation milestones → version stored (activated when the gate accepts) → a training_runs row.
/// Shares the engagement runs' advisory lock, so no two fits of any kind overlap.
/// </summary>
public sealed class PreferenceTrainingService(
    IDbContextFactory<ViralityDbContext> contexts,
    PreferenceDataQueries data,
    ModelRegistryStore registry,
    PreferenceModelCache cache,
    IOptions<PreferenceOptions> options,
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    ILogger<PreferenceTrainingService> logger)
{
    public async Task<PreparedPreferenceData> PrepareAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var sources = await data.ReadRowsAsync(o.Filter, null, ct);
        var rows = sources.Select(s => s.ToRow()).ToArray();
        var pipeline = o.Pipeline;
        var plan = MilestonePlanner.Plan(rows.Length, hasPreviousVersion: false, pipeline.Milestones);
        IReadOnlyList<string>? sides = null;
        if (plan.TrainModel)
        {
            // The pipeline splits its rows in (rated_at, id) order; the hash split does not depend on order,
            // the random one does, so split exactly as it will.
            var order = Enumerable.Range(0, rows.Length).OrderBy(i => rows[i].RatedAt).ThenBy(i => rows[i].Id, StringComparer.Ordinal).ToArray();
            var split = PreferenceTrainingPipeline.Split(order.Select(i => rows[i]).ToArray(), pipeline);
            var side = new string[rows.Length];
            foreach (var i in split.Train) side[order[i]] = "train";
            foreach (var i in split.Test) side[order[i]] = "test";
            sides = side;
        }
        return new PreparedPreferenceData(sources, rows, o.Filter, pipeline, plan, sides);
    }

    /// <summary>Runs once. Never throws for a failed run: the outcome (and its row) says failed and why.</summary>
    public async Task<PreferenceTrainingOutcome> RunAsync(TrainingRequest request, RunTrigger trigger, CancellationToken ct = default)
    {
        var o = options.Value;
        var run = new TrainingRun
        {
            Kind = ModelKind.Preference,
            Trigger = trigger,
            TriggerDetails = request.TriggerDetails,
            Status = RunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Options = TrainingJson.Serialize(new { request.RequestedBy, options = o }),
            RequestId = request.RequestId,
        };
        var guard = await TrainingLock.TryAcquireAsync(dataSource, ct);
        var timings = new List<StepTiming>();
        if (guard is null)
        {
            run.Status = RunStatus.Failed;
            run.Error = EngagementTrainingService.LockHeldMessage;
            return await FinishAsync(run, timings, null, null, MilestonePlanner.Plan(0, false), null);
        }

        Task<PreferenceTrainingResult>? fit = null;
        var step = "start";
        var plan = MilestonePlanner.Plan(0, false);
        try
        {
            await SaveAsync(run, ct);
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(TimeSpan.FromSeconds(o.TimeBudgetSeconds));
            try
            {
                step = "read";
                var sw = Stopwatch.StartNew();
                var prepared = await PrepareAsync(budget.Token);
                run.VideoCount = prepared.Rows.Count;
                plan = prepared.Plan;
                timings.Add(new StepTiming("read", sw.Elapsed.TotalMilliseconds));
                ReportProgress(run.Id, run.VideoCount, timings);

                step = "load-active";
                sw.Restart();
                var active = await cache.GetActiveAsync(budget.Token);
                var previous = active is null ? null
                    : new PreviousPreferenceVersion(active.VersionTag, active.Normalization, active.Model, active.Metrics.Test.Mae);
                timings.Add(new StepTiming("load-active", sw.Elapsed.TotalMilliseconds));
                ReportProgress(run.Id, run.VideoCount, timings);

                step = "fit";
                sw.Restart();
                // Synchronous and CPU-bound: the budget abandons the wait, and the lock is released only once the
                // fit really ends (see finally), so a timed-out fit never overlaps the next one.
                fit = Task.Run(() => PreferenceTrainingPipeline.Run(prepared.Rows, prepared.Options, previous), CancellationToken.None);
                var result = await fit.WaitAsync(budget.Token);
                plan = result.Plan;
                timings.Add(new StepTiming("fit", sw.Elapsed.TotalMilliseconds));

                step = "store";
                sw.Restart();
                var snapshotId = result.Snapshot is null ? (long?)null : await StoreSnapshotAsync(run, result, budget.Token);
                ModelVersion? version = null;
                if (result.Selected is not null)
                {
                    version = await StoreVersionAsync(run, prepared, result, trigger, budget.Token);
                    if (result.Gate!.Accepted)
                        cache.Invalidate();
                }
                timings.Add(new StepTiming("store", sw.Elapsed.TotalMilliseconds));

                var accepted = result.Gate?.Accepted ?? false;
                run.Status = result.Gate is null || accepted ? RunStatus.Completed : RunStatus.SkippedByGate;
                run.GateDecision = result.Gate is null ? null : accepted ? GateVerdict.Accepted : GateVerdict.Rejected;
                run.GateReasons = result.Gate?.Reasons.ToArray() ?? [];
                run.Warnings = result.Warnings.ToArray();
                run.ModelVersionId = version?.Id;
                run.Metrics = TrainingJson.Serialize(result);
                logger.LogInformation("Preference run {RunId}: {Rows} rows, milestone {Milestone}, {Status}, version {Tag}, test MAE {Mae}",
                    run.Id, result.RowCount, result.Plan.Milestone, run.Status.Wire(), version?.VersionTag, result.Selected?.Test.Mae);
                return await FinishAsync(run, timings, version?.VersionTag, snapshotId, plan, result);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                run.Status = RunStatus.Failed;
                run.Error = $"Time budget of {o.TimeBudgetSeconds} s exceeded during step '{step}'; the run was cancelled and nothing was stored.";
                return await FinishAsync(run, timings, null, null, plan, null);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
        {
            run.Status = RunStatus.Failed;
            run.Error = e is OperationCanceledException ? $"Cancelled during step '{step}' (shutdown or caller)." : $"{step}: {e.Message}";
            logger.LogError(e, "Preference run {RunId} failed in step {Step}", run.Id, step);
            return await FinishAsync(run, timings, null, null, plan, null);
        }
        finally
        {
            if (guard is not null)
            {
                if (fit is { IsCompleted: false })
                    _ = fit.ContinueWith(_ => guard.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
                else
                    await guard.DisposeAsync();
            }
        }
    }

    private async Task<long> StoreSnapshotAsync(TrainingRun run, PreferenceTrainingResult result, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var snapshot = new ImportanceSnapshot
        {
            Milestone = TrainingJson.Serialize(result.Plan.Milestone).Trim('"'),
            RowCount = result.RowCount,
            Correlations = TrainingJson.Serialize(result.Snapshot),
            CreatedAt = clock.GetUtcNow(),
            TrainingRunId = run.Id,
        };
        db.ImportanceSnapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        return snapshot.Id;
    }

    private async Task<ModelVersion> StoreVersionAsync(TrainingRun run, PreparedPreferenceData prepared, PreferenceTrainingResult result, RunTrigger trigger, CancellationToken ct)
    {
        var selected = result.Selected!;
        var gate = result.Gate!;
        var trainedAt = clock.GetUtcNow();
        var metrics = new PreferenceVersionMetrics(
            selected.Kind, result.Plan.Milestone, result.RowCount, result.TrainCount, result.TestCount, selected.Test, selected.Train, selected.MeanBaseline,
            selected.CrossValidation, selected.Verdict, result.Previous, gate, prepared.LastRating!, result.DriftReference,
            result.Dimensions.Select(d => new DimensionSummary(d.Dimension, d.RowCount, d.Evaluation.Kind, d.Evaluation.FeatureCount, d.Evaluation.Test, d.Evaluation.MeanBaseline, d.Evaluation.Verdict)).ToArray());
        var version = new ModelVersion
        {
            VersionTag = $"pref-{trainedAt:yyyyMMdd-HHmmss}-r{run.Id}",
            Kind = ModelKind.Preference,
            Status = gate.Accepted ? VersionStatus.Inactive : VersionStatus.Rejected,
            TrainedAt = trainedAt,
            TrainingVideoCount = result.RowCount,
            FeatureSet = $"analysis-{prepared.Filter.AnalysisVersion}",
            Trainer = TrainerName(selected.Kind),
            FeatureWeights = TrainingJson.Serialize(new { selected.Intercept, selected.Weights }),
            Metrics = TrainingJson.Serialize(metrics),
            NormalizationConfig = result.Normalization!.ToJson(),
            Artifact = PreferenceArtifact.Pack(result),
            Notes = gate.Accepted ? null : "Rejected by the gate: " + string.Join(" ", gate.Reasons),
            TrainingRunId = run.Id,
        };
        var reason = gate.Accepted ? FormattableString.Invariant($"Accepted by the gate (test MAE {selected.Test.Mae:0.000}).") : null;
        return await registry.StoreAsync(version, activate: gate.Accepted, changedBy: $"training:{trigger.Wire()}", reason, ct);
    }

    public static string TrainerName(PreferenceModelKind kind) => kind switch
    {
        PreferenceModelKind.Ridge => "ridge",
        PreferenceModelKind.RandomForest => "forest",
        PreferenceModelKind.LightGbm => "lightgbm",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private async Task<PreferenceTrainingOutcome> FinishAsync(TrainingRun run, List<StepTiming> timings, string? tag, long? snapshotId, MilestonePlan plan, PreferenceTrainingResult? result)
    {
        run.FinishedAt = clock.GetUtcNow();
        run.Timings = TrainingJson.Serialize(timings);
        // Recorded even when the caller's token is cancelled: a run must never stay "running".
        await SaveAsync(run, CancellationToken.None);
        return new PreferenceTrainingOutcome(run.Id, run.Status, run.Trigger, run.VideoCount, plan.Milestone, plan.Summary, plan.NextUnlocks, plan.RowsToNext,
            tag, result?.Gate?.Accepted ?? false, snapshotId, run.GateReasons, run.Warnings, run.Error, timings, result);
    }

    /// <summary>
    /// Writes the steps finished so far and the row count to the running row, so the Training page (on any node)
    /// shows the live step as it does for engagement runs. A failure here only costs the live view, never the run.
    /// </summary>
    private void ReportProgress(long runId, int rows, IReadOnlyList<StepTiming> steps)
    {
        try
        {
            var json = TrainingJson.Serialize(steps);
            using var db = contexts.CreateDbContext();
            db.TrainingRuns.Where(r => r.Id == runId && r.Status == RunStatus.Running)
                .ExecuteUpdate(u => u.SetProperty(r => r.Timings, json).SetProperty(r => r.VideoCount, rows));
        }
        catch (Exception e) when (e is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(e, "Could not record the progress of preference run {RunId}", runId);
        }
    }

    private async Task SaveAsync(TrainingRun run, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (run.Id == 0)
            db.TrainingRuns.Add(run);
        else
            db.TrainingRuns.Update(run);
        await db.SaveChangesAsync(ct);
    }
}
