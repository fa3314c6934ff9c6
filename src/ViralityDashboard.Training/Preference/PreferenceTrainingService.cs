using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Preference;

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
/// The preference kind of training run (seed 003), whoever starts it (the Quartz job, a data trigger, a test): read
/// the rating rows → <see cref="PreferenceTrainingPipeline"/> with the active preference version as the one to beat →
/// snapshot at correlation milestones → version (activated when the gate accepts). <see cref="TrainingLifecycle"/>
/// runs it, with the engagement runs' advisory lock, so no two fits of any kind overlap.
/// </summary>
public sealed class PreferenceTrainingService(
    TrainingLifecycle lifecycle,
    IDbContextFactory<ViralityDbContext> contexts,
    PreferenceDataQueries data,
    PreferenceModelCache cache,
    IOptions<PreferenceOptions> options,
    TimeProvider clock,
    ILogger<PreferenceTrainingService> logger)
    : IModelKindTrainer<PreferenceTrainingService.Run, LoadedPreferenceModel, PreferenceTrainingOutcome>
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
    public Task<PreferenceTrainingOutcome> RunAsync(TrainingRequest request, RunTrigger trigger, CancellationToken ct = default) =>
        lifecycle.RunAsync(this, request, trigger, ct);

    /// <summary>One preference run's data, from its rows to its result.</summary>
    public sealed class Run
    {
        internal PreparedPreferenceData? Prepared { get; set; }
        internal PreviousPreferenceVersion? Previous { get; set; }
        internal PreferenceTrainingResult? Result { get; set; }
        internal long? SnapshotId { get; set; }

        /// <summary>The milestone reached so far: none before the rows are read.</summary>
        internal MilestonePlan Plan => Result?.Plan ?? Prepared?.Plan ?? MilestonePlanner.Plan(0, false);
    }

    ModelKindInfo<LoadedPreferenceModel> IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Info => new(ModelKind.Preference, "Preference run", "pref", cache, logger);
    int IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.TimeBudgetSeconds => options.Value.TimeBudgetSeconds;

    Run IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Begin(TrainingRequest request, TrainingRun row)
    {
        row.TriggerDetails = request.TriggerDetails;
        row.Options = TrainingJson.Serialize(new { request.RequestedBy, options = options.Value });
        return new Run();
    }

    async Task IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.ReadAsync(Run run, TrainingRun row, List<StepTiming> timings, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        run.Prepared = await PrepareAsync(ct);
        row.VideoCount = run.Prepared.Rows.Count;
        timings.Add(new StepTiming("read", sw.Elapsed.TotalMilliseconds));
    }

    void IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.CompareWith(Run run, LoadedPreferenceModel? active) =>
        run.Previous = active is null ? null
            : new PreviousPreferenceVersion(active.VersionTag, active.Normalization, active.Model, active.Metrics.Test.Mae);

    IReadOnlyList<StepTiming>? IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Fit(Run run, Action<StepTiming> progress)
    {
        run.Result = PreferenceTrainingPipeline.Run(run.Prepared!.Rows, run.Prepared.Options, run.Previous);
        return null;
    }

    GateOutcome? IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Gate(Run run) =>
        run.Result!.Gate is { } gate ? new GateOutcome(gate.Accepted, gate.Reasons) : null;

    async Task IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.StoreRowsAsync(Run run, TrainingRun row, CancellationToken ct)
    {
        if (run.Result!.Snapshot is not null)
            run.SnapshotId = await StoreSnapshotAsync(row, run.Result, ct);
    }

    (ModelVersion Version, string? Reason)? IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Candidate(Run run, TrainingRun row)
    {
        var (prepared, result) = (run.Prepared!, run.Result!);
        if (result.Selected is not { } selected)
            return null;
        var gate = result.Gate!;
        var metrics = new PreferenceVersionMetrics(
            selected.Kind, result.Plan.Milestone, result.RowCount, result.TrainCount, result.TestCount, selected.Test, selected.Train, selected.MeanBaseline,
            selected.CrossValidation, selected.Verdict, result.Previous, gate, prepared.LastRating!, result.DriftReference,
            result.Dimensions.Select(d => new DimensionSummary(d.Dimension, d.RowCount, d.Evaluation.Kind, d.Evaluation.FeatureCount, d.Evaluation.Test, d.Evaluation.MeanBaseline, d.Evaluation.Verdict)).ToArray());
        var version = new ModelVersion
        {
            TrainingVideoCount = result.RowCount,
            FeatureSet = $"analysis-{prepared.Filter.AnalysisVersion}",
            Trainer = TrainerName(selected.Kind),
            FeatureWeights = TrainingJson.Serialize(new { selected.Intercept, selected.Weights }),
            Metrics = TrainingJson.Serialize(metrics),
            NormalizationConfig = result.Normalization!.ToJson(),
            Artifact = PreferenceArtifact.Pack(result),
            Notes = gate.Accepted ? null : "Rejected by the gate: " + string.Join(" ", gate.Reasons),
        };
        return (version, FormattableString.Invariant($"Accepted by the gate (test MAE {selected.Test.Mae:0.000})."));
    }

    void IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Complete(Run run, TrainingRun row, string? versionTag)
    {
        var result = run.Result!;
        row.Warnings = result.Warnings.ToArray();
        row.Metrics = TrainingJson.Serialize(result);
        logger.LogInformation("Preference run {RunId}: {Rows} rows, milestone {Milestone}, {Status}, version {Tag}, test MAE {Mae}",
            row.Id, result.RowCount, result.Plan.Milestone, row.Status.Wire(), versionTag, result.Selected?.Test.Mae);
    }

    PreferenceTrainingOutcome IModelKindTrainer<Run, LoadedPreferenceModel, PreferenceTrainingOutcome>.Outcome(Run run, TrainingRun row, IReadOnlyList<StepTiming> timings, string? versionTag, bool activated)
    {
        var plan = run.Plan;
        var result = row.Status == RunStatus.Failed ? null : run.Result;
        return new PreferenceTrainingOutcome(row.Id, row.Status, row.Trigger, row.VideoCount, plan.Milestone, plan.Summary, plan.NextUnlocks, plan.RowsToNext,
            versionTag, activated, result is null ? null : run.SnapshotId, row.GateReasons, row.Warnings, row.Error, timings, result);
    }

    private async Task<long> StoreSnapshotAsync(TrainingRun row, PreferenceTrainingResult result, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var snapshot = new ImportanceSnapshot
        {
            Milestone = TrainingJson.Serialize(result.Plan.Milestone).Trim('"'),
            RowCount = result.RowCount,
            Correlations = TrainingJson.Serialize(result.Snapshot),
            CreatedAt = clock.GetUtcNow(),
            TrainingRunId = row.Id,
        };
        db.ImportanceSnapshots.Add(snapshot);
        await db.SaveChangesAsync(ct);
        return snapshot.Id;
    }

    public static string TrainerName(PreferenceModelKind kind) => kind switch
    {
        PreferenceModelKind.Ridge => "ridge",
        PreferenceModelKind.RandomForest => "forest",
        PreferenceModelKind.LightGbm => "lightgbm",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

}
