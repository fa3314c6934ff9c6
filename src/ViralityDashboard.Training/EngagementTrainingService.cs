using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using PipelineOptions = ViralityDashboard.Core.Ml.TrainingOptions;

namespace ViralityDashboard.Training;

/// <summary>The rows a run trains on and how, before any fitting; <c>export-training</c> writes exactly these.</summary>
public sealed record PreparedTrainingData(
    IReadOnlyList<TrainingRow> Rows,
    FeatureSet FeatureSet,
    TierScheme Scheme,
    TierThresholds? Thresholds,
    bool UsedFallbackData,
    int TrainableVideos,
    PipelineOptions PipelineOptions,
    IReadOnlyList<string> Notes,
    IReadOnlyList<StepTiming> Timings)
{
    /// <summary>The train/test sides the run uses.</summary>
    public SplitIndices Split() => TrainingPipeline.SplitRows(Rows, Rows.Select(r => r.Label).ToArray(), PipelineOptions);
}

/// <summary>
/// One training run, whoever starts it (the Quartz job, a test, a benchmark): read → features and tiers
/// (thresholds from a fresh SQL percentile computation over the same rows) → split → fit → evaluate →
/// gate against the active version → store the version (activated or rejected) → a training_runs row.
/// </summary>
public sealed class EngagementTrainingService(
    IDbContextFactory<ViralityDbContext> contexts,
    TrainingDataQueries data,
    CalibrationQueries calibration,
    ModelRegistryStore registry,
    ActiveModelCache cache,
    IOptions<EngagementTrainingOptions> options,
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    ILogger<EngagementTrainingService> logger)
{
    public const string LockHeldMessage = "Another training run is in progress (its advisory lock is held); this launch was refused.";

    public async Task<PreparedTrainingData> PrepareAsync(TrainingRequest request, CancellationToken ct = default)
    {
        var o = options.Value;
        var featureSet = request.FeatureSet ?? o.DefaultFeatureSet;
        var scheme = request.TierScheme ?? o.DefaultTierScheme;
        var trainer = request.Trainer ?? o.DefaultTrainer;
        var split = request.Split ?? o.DefaultSplit;
        var timings = new List<StepTiming>();
        var notes = new List<string>();
        var clockSw = Stopwatch.StartNew();

        var trainable = await data.CountTrainableAsync(ct);
        if (trainable < o.FallbackMinimumVideos)
        {
            // The bundled set is seed15 features with view-quintile tiers and its own predefined split.
            var file = FallbackTrainingSet.Generate();
            var seedRows = file.ToRows();
            var columns = featureSet.FeatureNames.Select(n => FeatureSet.Seed15.IndexOf(n)).ToArray();
            var rows = featureSet.Name == FeatureSet.Seed15Name
                ? seedRows
                : seedRows.Select(r => r with { Features = columns.Select(c => r.Features[c]).ToArray() }).ToArray();
            notes.Add($"Only {trainable} trainable videos (< {o.FallbackMinimumVideos}): trained on the bundled fallback set ({rows.Count} synthetic rows, seed {FallbackTrainingSet.DefaultSeed}, predefined split).");
            if (scheme.Measure != TierMeasure.Views)
                notes.Add("The fallback set is labelled with view tiers; the requested tier scheme does not apply.");
            timings.Add(new StepTiming("read-fallback", clockSw.Elapsed.TotalMilliseconds));
            return new PreparedTrainingData(rows, featureSet, TierScheme.Views, null, true, trainable,
                PipelineOptionsFor(o, trainer, SplitKind.Predefined), notes, timings);
        }

        // Thresholds first (SQL over the same newest rows), so each video becomes its labelled row as it is read.
        var snapshot = await calibration.ComputeAsync(o.WesWeights, o.MaxVideos, ct);
        var thresholds = snapshot.ThresholdsFor(scheme);
        timings.Add(new StepTiming("percentiles-sql", clockSw.Elapsed.TotalMilliseconds));
        clockSw.Restart();
        var labelled = await data.ReadNewestTrainableAsync(o.MaxVideos, v => EngagementDataset.Row(v, featureSet, scheme, thresholds, o.WesWeights), ct);
        timings.Add(new StepTiming("read-and-features", clockSw.Elapsed.TotalMilliseconds));
        if (trainable > o.MaxVideos)
            notes.Add($"Read the newest {o.MaxVideos:N0} of {trainable:N0} trainable videos.");
        return new PreparedTrainingData(labelled, featureSet, scheme, thresholds, false, trainable,
            PipelineOptionsFor(o, trainer, split), notes, timings);
    }

    private static PipelineOptions PipelineOptionsFor(EngagementTrainingOptions o, TrainerKind trainer, SplitKind split) =>
        new(trainer, split, o.TestFraction, o.Seed, o.CrossValidationFolds, CheckLeakage: true, Gate: o.Gate, CrossValidationMaxRows: o.CrossValidationMaxRows);

    /// <summary>Runs once. Never throws for a failed run: the outcome (and its row) says failed and why.</summary>
    public async Task<TrainingOutcome> RunAsync(TrainingRequest request, RunTrigger trigger, CancellationToken ct = default)
    {
        var o = options.Value;
        var run = new TrainingRun
        {
            Kind = TrainingRequest.Kind,
            Trigger = trigger,
            Status = RunStatus.Running,
            StartedAt = clock.GetUtcNow(),
            Options = TrainingJson.Serialize(new { request, o.MaxVideos, o.FallbackMinimumVideos, o.GateMinimumAccuracy, o.GateMaximumRegression, o.WesWeights, o.TimeBudgetSeconds }),
            RequestId = request.RequestId,
        };

        var guard = await TrainingLock.TryAcquireAsync(dataSource, ct);
        if (guard is null)
        {
            run.Status = RunStatus.Failed;
            run.Error = LockHeldMessage;
            run.FinishedAt = clock.GetUtcNow();
            await SaveAsync(run, ct);
            logger.LogWarning("Training run {RunId} refused: {Reason}", run.Id, LockHeldMessage);
            return Outcome(run, null, null, false, []);
        }

        Task<TrainingResult>? fit = null;
        var timings = new List<StepTiming>();
        string step = "start";
        try
        {
            await SaveAsync(run, ct);
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(TimeSpan.FromSeconds(o.TimeBudgetSeconds));
            try
            {
                step = "read";
                var prepared = await PrepareAsync(request, budget.Token);
                timings.AddRange(prepared.Timings);
                run.VideoCount = prepared.Rows.Count;
                run.UsedFallbackData = prepared.UsedFallbackData;
                ReportProgress(run.Id, run.VideoCount, timings);

                step = "load-active";
                var sw = Stopwatch.StartNew();
                var active = await cache.GetActiveAsync(budget.Token);
                var warnings = new List<string>(prepared.Notes);
                ActiveModel? compareWith = null;
                if (active is not null && active.FeatureSet.Name == prepared.FeatureSet.Name)
                    compareWith = new ActiveModel(active.VersionTag, active.Model);
                else if (active is not null)
                    warnings.Add($"Active version {active.VersionTag} uses feature set {active.FeatureSet.Name}, this run {prepared.FeatureSet.Name}: not compared.");
                timings.Add(new StepTiming("load-active", sw.Elapsed.TotalMilliseconds));

                step = "fit";
                // The pipeline is synchronous; the budget abandons the wait, and the lock is only released
                // once the fit really ends (see finally), so a timed-out fit never overlaps the next one.
                var input = new TrainingInput(prepared.Rows, prepared.FeatureSet, prepared.Scheme, prepared.Thresholds);
                var live = new List<StepTiming>(timings);
                void Progress(StepTiming step)
                {
                    List<StepTiming> snapshot;
                    lock (live)
                    {
                        live.Add(step);
                        snapshot = [.. live];
                    }
                    ReportProgress(run.Id, run.VideoCount, snapshot);
                }
                fit = Task.Run(() => TrainingPipeline.Run(input, prepared.PipelineOptions, compareWith, Progress), CancellationToken.None);
                var result = await fit.WaitAsync(budget.Token);
                timings.AddRange(result.Timings);
                warnings.AddRange(result.Warnings);

                step = "store";
                sw.Restart();
                var version = await StoreVersionAsync(run, prepared, result, trigger, budget.Token);
                timings.Add(new StepTiming("store", sw.Elapsed.TotalMilliseconds));
                if (result.Gate.Accepted)
                    cache.Invalidate();

                run.Status = result.Gate.Accepted ? RunStatus.Completed : RunStatus.SkippedByGate;
                run.GateDecision = result.Gate.Accepted ? GateVerdict.Accepted : GateVerdict.Rejected;
                run.GateReasons = result.Gate.Reasons.ToArray();
                run.Warnings = warnings.ToArray();
                run.Thresholds = result.Thresholds is null ? null : TrainingJson.Serialize(result.Thresholds);
                run.TierDistribution = TrainingJson.Serialize(new { all = result.TierDistribution, train = result.TrainTierDistribution, test = result.TestTierDistribution });
                run.Metrics = TrainingJson.Serialize(result);
                run.ModelVersionId = version.Id;
                LogMetrics(run, version.VersionTag, result);
                return await FinishAsync(run, timings, version.VersionTag, result.Gate.Accepted, result);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                run.Status = RunStatus.Failed;
                run.Error = $"Time budget of {o.TimeBudgetSeconds} s exceeded during step '{step}'; the run was cancelled and nothing was stored.";
                logger.LogError("Training run {RunId} failed: {Error}", run.Id, run.Error);
                return await FinishAsync(run, timings, null, false, null);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || ct.IsCancellationRequested)
        {
            run.Status = RunStatus.Failed;
            run.Error = e is OperationCanceledException ? $"Cancelled during step '{step}' (shutdown or caller)." : $"{step}: {e.Message}";
            logger.LogError(e, "Training run {RunId} failed in step {Step}", run.Id, step);
            return await FinishAsync(run, timings, null, false, null);
        }
        finally
        {
            if (fit is { IsCompleted: false })
                _ = fit.ContinueWith(_ => guard.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            else
                await guard.DisposeAsync();
        }
    }

    /// <summary>
    /// Writes the steps finished so far to the running row, so a page on any node can show the live step
    /// and row count. Synchronous on purpose: it is called from the fitting thread between steps, once per
    /// step. A failure here only costs the live view, never the run.
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
            logger.LogWarning(e, "Could not record the progress of training run {RunId}", runId);
        }
    }

    private async Task<ModelVersion> StoreVersionAsync(TrainingRun run, PreparedTrainingData prepared, TrainingResult result, RunTrigger trigger, CancellationToken ct)
    {
        var trainedAt = clock.GetUtcNow();
        var notes = new List<string>(prepared.Notes);
        if (!result.Gate.Accepted)
            notes.Add("Rejected by the gate: " + string.Join(" ", result.Gate.Reasons.Take(result.Gate.Reasons.Count)));
        var version = new ModelVersion
        {
            VersionTag = $"eng-{trainedAt:yyyyMMdd-HHmmss}-r{run.Id}",
            Kind = TrainingRequest.Kind,
            Status = result.Gate.Accepted ? VersionStatus.Inactive : VersionStatus.Rejected,
            TrainedAt = trainedAt,
            TrainingVideoCount = prepared.Rows.Count,
            FeatureSet = prepared.FeatureSet.Name,
            TierScheme = prepared.Scheme.Name,
            Trainer = result.Trainer.Wire(),
            Thresholds = result.Thresholds is null ? "{}" : TrainingJson.Serialize(result.Thresholds),
            FeatureWeights = result.Weights is null ? "{}" : TrainingJson.Serialize(result.Weights),
            Metrics = TrainingJson.Serialize(new EngagementVersionMetrics(result.Test, result.TrainAccuracy, result.MajorityBaseline, result.CrossValidation, result.Gate, result.ActiveAccuracyOnTestRows, result.StratifiedRandomBaseline)),
            NormalizationConfig = TrainingJson.Serialize(new { clamp = new[] { 0, 1 }, features = prepared.FeatureSet.Features }),
            Artifact = result.ModelBytes,
            Notes = notes.Count == 0 ? null : string.Join("\n", notes),
            TrainingRunId = run.Id,
        };
        var reason = result.Gate.Accepted ? $"Accepted by the gate (test accuracy {result.Test.Accuracy:0.0000})." : null;
        return await registry.StoreAsync(version, activate: result.Gate.Accepted, changedBy: $"training:{trigger.Wire()}", reason, ct);
    }

    private void LogMetrics(TrainingRun run, string tag, TrainingResult r)
    {
        logger.LogInformation("Training run {RunId} → {Tag}: {Status}, test accuracy {Accuracy:0.0000}, macro-F1 {F1:0.0000}, kappa {Kappa:0.0000}, tiers {Distribution}",
            run.Id, tag, run.Status.Wire(), r.Test.Accuracy, r.Test.MacroF1, r.Test.QuadraticWeightedKappa, string.Join("/", r.TierDistribution));
        foreach (var c in r.Test.PerClass)
            logger.LogInformation("  tier {Tier}: precision {Precision:0.000} recall {Recall:0.000} F1 {F1:0.000} support {Support}", c.Tier, c.Precision, c.Recall, c.F1, c.Support);
    }

    private async Task<TrainingOutcome> FinishAsync(TrainingRun run, List<StepTiming> timings, string? tag, bool activated, TrainingResult? result)
    {
        run.FinishedAt = clock.GetUtcNow();
        run.Timings = TrainingJson.Serialize(timings);
        // Recorded even when the caller's token is cancelled: a run must never stay "running".
        await SaveAsync(run, CancellationToken.None);
        return Outcome(run, tag, result, activated, timings);
    }

    private static TrainingOutcome Outcome(TrainingRun run, string? tag, TrainingResult? result, bool activated, IReadOnlyList<StepTiming> timings) =>
        new(run.Id, run.Status, run.Trigger, tag, activated, run.UsedFallbackData, run.VideoCount, run.GateReasons, run.Warnings, run.Error, timings, result);

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
