using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Runs;
using PipelineOptions = ViralityDashboard.Core.Ml.TrainingOptions;

namespace ViralityDashboard.Training.Engagement;

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
    IReadOnlyList<StepTiming> Timings,
    IReadOnlyList<TrainingRow>? Served = null,
    RowsReport? Report = null)
{
    /// <summary>The train/test sides the run uses.</summary>
    public SplitIndices Split() => TrainingPipeline.SplitRows(Rows, Rows.Select(r => r.Label).ToArray(), PipelineOptions);
}

/// <summary>
/// The engagement-tier kind of training run, whoever starts it (the Quartz job, a test, a benchmark): read →
/// features and tiers (thresholds from a fresh SQL percentile computation over the same rows) → split → fit →
/// evaluate → gate against the active version. <see cref="TrainingLifecycle"/> runs it (lock, run row, budget,
/// progress, storing the version activated or rejected).
/// </summary>
public sealed class EngagementTrainingService(
    TrainingLifecycle lifecycle,
    TrainingDataQueries data,
    CalibrationQueries calibration,
    ActiveModelCache cache,
    TrainingThreads threads,
    IOptions<EngagementTrainingOptions> options,
    IOptions<Monitoring.MonitoringOptions> monitoring,
    ILogger<EngagementTrainingService> logger)
    : IModelKindTrainer<EngagementTrainingService.Run, LoadedModel, TrainingOutcome>
{
    public const string LockHeldMessage = TrainingLifecycle.LockHeldMessage;

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
        var matureAfterDays = monitoring.Value.MatureAfterDays;
        var histories = await data.CountHistoriesAsync(matureAfterDays, ct);
        var mode = request.Rows ?? o.ConfiguredRows;
        if (mode is null)
        {
            mode = histories.Usable >= o.MinimumMaturedVideos ? TrainingRowsMode.PointInTime : TrainingRowsMode.Latest;
            if (mode == TrainingRowsMode.Latest && trainable >= o.FallbackMinimumVideos)
                notes.Add($"Trained on latest counts: only {histories.Usable} videos have a matured history (a snapshot {matureAfterDays} days after posting and an earlier one; "
                    + $"point-in-time needs {o.MinimumMaturedVideos}, Virality:Training:MinimumMaturedVideos). Its test accuracy is not what it will be served at: see served accuracy.");
        }
        if (trainer == TrainerKind.Growth)
        {
            // Refused before any reading: the rule needs views and age at observation and a matured outcome per row.
            if (GrowthModel.Unservable(featureSet, scheme.Measure) is { } why)
                throw new InvalidOperationException(why);
            if (mode != TrainingRowsMode.PointInTime)
                throw new InvalidOperationException($"The growth trainer needs point-in-time rows (--rows point-in-time); this run would train on latest counts ({histories.Usable} videos have a matured history).");
        }
        timings.Add(new StepTiming("count-histories", clockSw.Elapsed.TotalMilliseconds));
        clockSw.Restart();
        if (mode == TrainingRowsMode.PointInTime)
            return await PreparePointInTimeAsync(request, featureSet, scheme, trainer, trainable, histories, matureAfterDays, notes, timings, ct);

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
                PipelineOptionsFor(o, featureSet, trainer, SplitKind.Predefined), notes, timings);
        }

        // Thresholds first (SQL over the same newest rows), so each video becomes its labelled row as it is read.
        var snapshot = await calibration.ComputeAsync(o.WesWeights, o.MaxVideos, ct);
        var thresholds = snapshot.ThresholdsFor(scheme);
        timings.Add(new StepTiming("percentiles-sql", clockSw.Elapsed.TotalMilliseconds));
        clockSw.Restart();
        // On a training thread: a million rows read and mapped are seconds of CPU the request threads must not give.
        var labelled = await threads.Run(() => data.ReadNewestTrainable(o.MaxVideos, v => EngagementDataset.Row(v, featureSet, scheme, thresholds, o.WesWeights), trainable, ct));
        timings.Add(new StepTiming("read-and-features", clockSw.Elapsed.TotalMilliseconds));
        if (trainable > o.MaxVideos)
            notes.Add($"Read the newest {o.MaxVideos:N0} of {trainable:N0} trainable videos.");
        clockSw.Restart();
        // Served accuracy: the same videos as first seen, tier of their matured counts by this run's thresholds.
        var served = histories.Usable == 0 ? null : await threads.Run(() => PointInTimeRows.Build(
            data.ReadMaturedHistories(o.MaxVideos, matureAfterDays, ct), featureSet, scheme, new PointInTimeOptions(matureAfterDays), o.WesWeights, thresholds).Served);
        timings.Add(new StepTiming("read-histories", clockSw.Elapsed.TotalMilliseconds));
        return new PreparedTrainingData(labelled, featureSet, scheme, thresholds, false, trainable,
            PipelineOptionsFor(o, featureSet, trainer, split), notes, timings, served,
            new RowsReport(TrainingRowsMode.Latest, labelled.Count, labelled.Count, 0, 0));
    }

    /// <summary>Fewer point-in-time rows than this cannot be split into a train and a test side worth the name.</summary>
    public const int MinimumPointInTimeRows = 20;

    private async Task<PreparedTrainingData> PreparePointInTimeAsync(
        TrainingRequest request, FeatureSet featureSet, TierScheme scheme, TrainerKind trainer, int trainable, HistoryCounts histories,
        int matureAfterDays, List<string> notes, List<StepTiming> timings, CancellationToken ct)
    {
        var o = options.Value;
        var clockSw = Stopwatch.StartNew();
        var pointInTime = new PointInTimeOptions(matureAfterDays, o.ObservationHorizonHours);
        var dataset = await threads.Run(() => PointInTimeRows.Build(
            data.ReadMaturedHistories(o.MaxVideos, matureAfterDays, ct), featureSet, scheme, pointInTime, o.WesWeights,
            skippedNotMatured: histories.NotMatured, skippedNoEarlier: histories.NoEarlierSnapshot));
        timings.Add(new StepTiming("read-histories", clockSw.Elapsed.TotalMilliseconds));
        var report = dataset.Report;
        if (report.Videos < MinimumPointInTimeRows)
            throw new InvalidOperationException($"Point-in-time training needs at least {MinimumPointInTimeRows} videos with a matured history "
                + $"(a snapshot {matureAfterDays} days after posting and an earlier one); {report.Videos} of {trainable} trainable videos have one "
                + $"({report.SkippedNotMatured} not yet matured, {report.SkippedNoEarlierSnapshot} with a single snapshot). Import scrape histories, or train with --rows latest.");
        notes.Add($"Point-in-time rows: {report.Rows} from {report.Videos} videos, features as first seen"
            + (o.ObservationHorizonHours > 0 ? $" and at every scrape younger than {o.ObservationHorizonHours:0.#} h" : "")
            + $", tier of the counts {matureAfterDays} days after posting; skipped {report.SkippedNotMatured} videos not yet matured and {report.SkippedNoEarlierSnapshot} with a single snapshot.");
        if (histories.Usable > o.MaxVideos)
            notes.Add($"Read the newest {o.MaxVideos:N0} of {histories.Usable:N0} matured histories.");
        // The test videos are the latest first seen, as the model will meet them, unless the run asks otherwise.
        var split = request.Split ?? SplitKind.Time;
        return new PreparedTrainingData(dataset.Rows, featureSet, scheme, dataset.Thresholds, false, trainable,
            PipelineOptionsFor(o, featureSet, trainer, split), notes, timings, dataset.Served, report);
    }

    /// <summary>The pipeline options of a run with these choices (also <see cref="RowsComparison"/>'s).</summary>
    internal static PipelineOptions PipelineOptionsFor(EngagementTrainingOptions o, FeatureSet featureSet, TrainerKind trainer, SplitKind split) =>
        new(trainer, split, o.TestFraction, o.Seed, o.CrossValidationFolds, CheckLeakage: true, Gate: o.GateFor(featureSet), CrossValidationMaxRows: o.CrossValidationMaxRows);

    /// <summary>Runs once. Never throws for a failed run: the outcome (and its row) says failed and why.</summary>
    public Task<TrainingOutcome> RunAsync(TrainingRequest request, RunTrigger trigger, CancellationToken ct = default) =>
        lifecycle.RunAsync(this, request, trigger, ct);

    /// <summary>One engagement run's data, from its request to its result.</summary>
    public sealed class Run(TrainingRequest request)
    {
        internal TrainingRequest Request { get; } = request;
        internal PreparedTrainingData? Prepared { get; set; }
        internal List<string> Warnings { get; } = [];
        internal ActiveModel? CompareWith { get; set; }
        /// <summary>The active version of the run's own feature set, read with the data: each set has its own active version.</summary>
        internal LoadedModel? ActiveOfSet { get; set; }
        internal TrainingResult? Result { get; set; }
    }

    ModelKindInfo<LoadedModel> IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Info => new(TrainingRequest.Kind, "Training run", "eng", cache, logger);
    int IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.TimeBudgetSeconds => options.Value.TimeBudgetSeconds;

    Run IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Begin(TrainingRequest request, TrainingRun row)
    {
        var o = options.Value;
        row.TriggerDetails = request.TriggerDetails; // the drift trigger's rule and figures
        row.Options = TrainingJson.Serialize(new { request, o.MaxVideos, o.FallbackMinimumVideos, o.GateMinimumAccuracy, o.GateMaximumRegression,
            o.PrePostingOwnGate, o.PrePostingGateMinimumMacroF1Lift, o.PrePostingGateMaximumRegression, o.WesWeights, o.TimeBudgetSeconds, o.AutoSearchSeconds,
            o.Rows, o.MinimumMaturedVideos, o.ObservationHorizonHours, monitoring.Value.MatureAfterDays });
        return new Run(request);
    }

    async Task IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.ReadAsync(Run run, TrainingRun row, List<StepTiming> timings, CancellationToken ct)
    {
        var prepared = run.Prepared = await PrepareAsync(run.Request, ct);
        timings.AddRange(prepared.Timings);
        run.Warnings.AddRange(prepared.Notes);
        row.VideoCount = prepared.Rows.Count;
        row.UsedFallbackData = prepared.UsedFallbackData;
        run.ActiveOfSet = await cache.GetActiveAsync(prepared.FeatureSet.Name, ct);
    }

    void IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.CompareWith(Run run, LoadedModel? defaultActive)
    {
        var featureSet = run.Prepared!.FeatureSet;
        var active = run.ActiveOfSet;
        if (active is not null && active.FeatureSet.Name == featureSet.Name)
            run.CompareWith = new ActiveModel(active.VersionTag, active.Model);
        else if (active is not null)
            run.Warnings.Add($"Active version {active.VersionTag} uses feature set {active.FeatureSet.Name}, this run {featureSet.Name}: not compared.");
    }

    IReadOnlyList<StepTiming>? IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Fit(Run run, Action<StepTiming> progress)
    {
        var prepared = run.Prepared!;
        var input = new TrainingInput(prepared.Rows, prepared.FeatureSet, prepared.Scheme, prepared.Thresholds, prepared.Served, prepared.Report);
        var pipelineOptions = prepared.PipelineOptions with { Parallelism = threads.Parallelism };
        // The auto trainer's search stops well inside the run's budget, keeping the best so far, so the winner's fit
        // and cross-validation still fit in it.
        using var searchBudget = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.AutoSearchSeconds));
        var result = run.Result = TrainingPipeline.Run(input, pipelineOptions, run.CompareWith, progress, searchBudget.Token);
        run.Warnings.AddRange(result.Warnings);
        return result.Timings;
    }

    GateOutcome? IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Gate(Run run) => new(run.Result!.Gate.Accepted, run.Result.Gate.Reasons);

    Task IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.StoreRowsAsync(Run run, TrainingRun row, CancellationToken ct) => Task.CompletedTask;

    (ModelVersion Version, string? Reason)? IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Candidate(Run run, TrainingRun row)
    {
        var (prepared, result) = (run.Prepared!, run.Result!);
        var notes = new List<string>(prepared.Notes);
        if (!result.Gate.Accepted)
            notes.Add("Rejected by the gate: " + string.Join(" ", result.Gate.Reasons.Take(result.Gate.Reasons.Count)));
        var version = new ModelVersion
        {
            TrainingVideoCount = prepared.Rows.Count,
            // Point-in-time rows know when each training video was first seen; latest rows may include every video there
            // was when the data was read; the bundled set is none of the creator's videos.
            TrainedThrough = prepared.UsedFallbackData ? null : result.TrainedThrough ?? row.StartedAt,
            FeatureSet = prepared.FeatureSet.Name,
            TierScheme = prepared.Scheme.Name,
            Trainer = result.Trainer.Wire(),
            Thresholds = result.Thresholds is null ? "{}" : TrainingJson.Serialize(result.Thresholds),
            FeatureWeights = result.Weights is null ? "{}" : TrainingJson.Serialize(result.Weights),
            Metrics = TrainingJson.Serialize(new EngagementVersionMetrics(result.Test, result.TrainAccuracy, result.MajorityBaseline, result.CrossValidation, result.Gate, result.ActiveAccuracyOnTestRows, result.StratifiedRandomBaseline, result.FeatureImportance)
            {
                Served = result.Served,
                GrowthBaseline = result.GrowthBaseline,
                Rows = result.Rows,
            }),
            NormalizationConfig = TrainingJson.Serialize(new { clamp = new[] { 0, 1 }, features = prepared.FeatureSet.Features }),
            Artifact = result.ModelBytes,
            Notes = notes.Count == 0 ? null : string.Join("\n", notes),
        };
        return (version, prepared.PipelineOptions.Gate?.MacroF1 is not null
            ? $"Accepted by the pre-posting gate (test macro-F1 {result.Test.MacroF1:0.0000})."
            : result.Served is { } served ? $"Accepted by the gate (served accuracy {served.Metrics.Accuracy:0.0000})."
            : $"Accepted by the gate (test accuracy {result.Test.Accuracy:0.0000}).");
    }

    void IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Complete(Run run, TrainingRun row, string? versionTag)
    {
        var result = run.Result!;
        row.Warnings = run.Warnings.ToArray();
        row.Thresholds = result.Thresholds is null ? null : TrainingJson.Serialize(result.Thresholds);
        row.TierDistribution = TrainingJson.Serialize(new { all = result.TierDistribution, train = result.TrainTierDistribution, test = result.TestTierDistribution });
        row.Metrics = TrainingJson.Serialize(result);
        LogMetrics(row, versionTag!, result);
    }

    TrainingOutcome IModelKindTrainer<Run, LoadedModel, TrainingOutcome>.Outcome(Run run, TrainingRun row, IReadOnlyList<StepTiming> timings, string? versionTag, bool activated) =>
        new(row.Id, row.Status, row.Trigger, versionTag, activated, row.UsedFallbackData, row.VideoCount, row.GateReasons, row.Warnings, row.Error, timings,
            row.Status == RunStatus.Failed ? null : run.Result);

    private void LogMetrics(TrainingRun run, string tag, TrainingResult r)
    {
        logger.LogInformation("Training run {RunId} → {Tag}: {Status}, test accuracy {Accuracy:0.0000}, macro-F1 {F1:0.0000}, kappa {Kappa:0.0000}, tiers {Distribution}",
            run.Id, tag, run.Status.Wire(), r.Test.Accuracy, r.Test.MacroF1, r.Test.QuadraticWeightedKappa, string.Join("/", r.TierDistribution));
        foreach (var c in r.Test.PerClass)
            logger.LogInformation("  tier {Tier}: precision {Precision:0.000} recall {Recall:0.000} F1 {F1:0.000} support {Support}", c.Tier, c.Precision, c.Recall, c.F1, c.Support);
    }

}
