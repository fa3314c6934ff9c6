using System.Diagnostics;
using System.Text.Json.Serialization;
using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Ml;

/// <summary>Options of one training run. Cross-project contract: the Training layer builds it from its options.</summary>
/// <param name="Seed">Seeds the split, the folds, the random baseline and the trainer.</param>
/// <param name="CrossValidationFolds">k of the stratified k-fold over all rows; below 2 skips it.</param>
/// <param name="CrossValidationMaxRows">
/// Above this many rows, cross-validation runs over a stratified sample of this size (seeded) instead of all
/// rows. Its job is the fold-to-fold spread; at 200,000 rows that is already a few thousandths, while five
/// more fits on a million rows would double a run (measured: 64 s instead of 30 s). The held-out test
/// figures always use every row. The summary records the rows it used.
/// </param>
public sealed record TrainingOptions(
    TrainerKind Trainer = TrainerKind.Lbfgs,
    SplitKind Split = SplitKind.Stratified,
    double TestFraction = 0.2,
    int Seed = 42,
    int CrossValidationFolds = 5,
    bool CheckLeakage = true,
    GateOptions? Gate = null,
    LeakageOptions? Leakage = null,
    TrainerOptions? TrainerOverrides = null,
    int CrossValidationMaxRows = 200_000,
    TrainingParallelism? Parallelism = null,
    AutoSearchOptions? Search = null)
{
    internal TrainerOptions EffectiveTrainer => (TrainerOverrides ?? new TrainerOptions()) with { Kind = Trainer, Seed = Seed };
}

/// <summary>What a run trains on.</summary>
/// <param name="Scheme">How the labels were made; drives the leakage flag. Null: no source flag.</param>
/// <param name="Thresholds">Echoed into the result, as the run's record of how tiers were cut.</param>
/// <param name="Served">
/// One row per video with a history: features as first seen, tier as matured (by <paramref name="Thresholds"/>). Those of
/// the test videos give the run's served accuracy; with observations, they also score the growth baseline.
/// </param>
/// <param name="Report">What the rows describe; point-in-time rows switch off the label-source leakage flag (their label is a later snapshot's).</param>
public sealed record TrainingInput(
    IReadOnlyList<TrainingRow> Rows,
    FeatureSet FeatureSet,
    TierScheme? Scheme = null,
    TierThresholds? Thresholds = null,
    IReadOnlyList<TrainingRow>? Served = null,
    RowsReport? Report = null);

/// <summary>The currently active model, to compare with on the candidate's test rows.</summary>
public sealed record ActiveModel(string Version, TierModel Model);

/// <summary>
/// Where a run's parallel work (the cross-validation folds, beside the model's fit) runs, and how many threads it may
/// keep busy at once, the calling thread included. Cross-project contract: the Training layer passes its dedicated
/// training threads, so a fit never occupies the thread pool that serves requests.
/// </summary>
/// <param name="MaxDegree">At most this many fits at once (at least 1; 1 runs everything on the calling thread, one after another).</param>
public sealed record TrainingParallelism(int MaxDegree, TaskScheduler Scheduler)
{
    /// <summary>Every core, on the thread pool: for callers that are not a server (tests, the CLI's benchmarks).</summary>
    public static TrainingParallelism Default { get; } = new(Environment.ProcessorCount, TaskScheduler.Default);

    public int MaxDegree { get; } = MaxDegree >= 1 ? MaxDegree : throw new ArgumentOutOfRangeException(nameof(MaxDegree), MaxDegree, "At least 1.");
}

public sealed record StepTiming(string Step, double Milliseconds);

/// <summary>The baselines of a run: the majority tier, a tier drawn from the prior, and views × typical growth (null without observations).</summary>
public sealed record BaselineFigures(ClassificationMetrics Majority, ClassificationMetrics StratifiedRandom, ClassificationMetrics? Growth);

/// <param name="Rows">Rows the folds were cut from (0 in runs stored before it was recorded).</param>
/// <param name="SampledFrom">All rows of the run when <paramref name="Rows"/> is a stratified sample of them; else null.</param>
public sealed record CrossValidationSummary(
    int Folds, double AccuracyMean, double AccuracyStd, double MacroF1Mean, double MacroF1Std, IReadOnlyList<double> FoldAccuracies,
    int Rows = 0, int? SampledFrom = null);

/// <summary>Per-tier, per-feature weights of a linear model, with the feature names, as stored JSON.</summary>
public sealed record FeatureWeights(IReadOnlyList<string> FeatureNames, float[][] Weights, float[] Biases);

/// <summary>
/// Everything a run produced. Serializable with System.Text.Json (stored as jsonb); the model itself and
/// its bytes are excluded from JSON and stored separately.
/// </summary>
public sealed record TrainingResult(
    // Stored results have always named the trainer by its member name (lightGbm, fastForest), not its wire name.
    [property: JsonConverter(typeof(MemberNameEnumConverter<TrainerKind>))] TrainerKind Trainer,
    string FeatureSet,
    IReadOnlyList<string> FeatureNames,
    SplitKind Split,
    int Seed,
    int RowCount,
    int TrainCount,
    int TestCount,
    TierThresholds? Thresholds,
    int[] TierDistribution,
    int[] TrainTierDistribution,
    int[] TestTierDistribution,
    ClassificationMetrics Test,
    double TrainAccuracy,
    ClassificationMetrics MajorityBaseline,
    ClassificationMetrics StratifiedRandomBaseline,
    CrossValidationSummary? CrossValidation,
    IReadOnlyList<FeatureLeakage> Leakage,
    IReadOnlyList<string> Warnings,
    double? ActiveAccuracyOnTestRows,
    GateDecision Gate,
    FeatureWeights? Weights,
    IReadOnlyList<StepTiming> Timings,
    AutoSearchSummary? Search = null)
{
    /// <summary>What the rows describe and which videos gave them (null for the bundled set and runs stored before).</summary>
    public RowsReport? Rows { get; init; }
    /// <summary>The test videos' figures with features as first seen and tier as matured (null when no test video has such a history).</summary>
    public ServedAccuracy? Served { get; init; }
    /// <summary>Szabo &amp; Huberman: views at observation × the training rows' median growth for that age (null without observations).</summary>
    public ClassificationMetrics? GrowthBaseline { get; init; }
    /// <summary>
    /// When the newest video the model was fitted on was first seen: later videos are out of its sample. Null when a
    /// training row has no observation time (latest rows, the bundled set): the caller then takes the data's read time.
    /// </summary>
    public DateTimeOffset? TrainedThrough { get; init; }
    /// <summary>Every baseline under one name, as <c>train --json</c> shows them (<c>result.baselines.growth</c>); written, never read back.</summary>
    public BaselineFigures Baselines => new(MajorityBaseline, StratifiedRandomBaseline, GrowthBaseline);
    /// <summary>Permutation feature importance on the test rows (null in runs stored before it was computed).</summary>
    public IReadOnlyList<FeatureImportance>? FeatureImportance { get; init; }
    /// <summary>What the run was asked for: <see cref="TrainerKind.Auto"/> when it searched, else <see cref="Trainer"/>.</summary>
    [JsonIgnore] public TrainerKind Requested => Search is null ? Trainer : TrainerKind.Auto;

    [JsonIgnore] public TierModel? Model { get; init; }
    [JsonIgnore] public byte[] ModelBytes { get; init; } = [];
}

/// <summary>
/// One training run without I/O: split, fit, evaluate against baselines, cross-validate, check leakage,
/// apply the gate. Deterministic for the same rows and options (timings aside).
/// </summary>
public static class TrainingPipeline
{
    /// <param name="progress">Told of each step as it finishes (the caller shows live progress from it).</param>
    /// <param name="searchBudget">
    /// Ends the <see cref="TrainerKind.Auto"/> search: the best candidate scored so far is kept and the run goes on
    /// with it (its fit, evaluation and cross-validation still run). Other trainers ignore it.
    /// </param>
    public static TrainingResult Run(TrainingInput input, TrainingOptions? options = null, ActiveModel? active = null, Action<StepTiming>? progress = null,
        CancellationToken searchBudget = default)
    {
        options ??= new TrainingOptions();
        var rows = input.Rows;
        if (rows.Count == 0)
            throw new ArgumentException("A run needs rows.", nameof(input));
        if (rows.Any(r => r.Features.Length != input.FeatureSet.Count))
            throw new ArgumentException($"Every row needs the {input.FeatureSet.Count} features of set '{input.FeatureSet.Name}'.", nameof(input));

        var timings = new List<StepTiming>();
        var warnings = new List<string>();
        var clock = Stopwatch.StartNew();
        void Lap(string step)
        {
            var timing = new StepTiming(step, clock.Elapsed.TotalMilliseconds);
            timings.Add(timing);
            progress?.Invoke(timing);
            clock.Restart();
        }

        var labels = rows.Select(r => r.Label).ToArray();
        var split = SplitRows(rows, labels, options);
        if (split.Train.Length == 0 || split.Test.Length == 0)
            throw new InvalidOperationException($"The {options.Split} split left an empty side ({split.Train.Length} train, {split.Test.Length} test).");
        var trainX = split.Train.Select(i => rows[i].Features).ToArray();
        var trainY = split.Train.Select(i => labels[i]).ToArray();
        var testX = split.Test.Select(i => rows[i].Features).ToArray();
        var testY = split.Test.Select(i => labels[i]).ToArray();
        Lap("split");

        var parallelism = options.Parallelism ?? TrainingParallelism.Default;
        var trainer = options.EffectiveTrainer;
        AutoSearchSummary? search = null;
        if (options.Trainer == TrainerKind.Auto)
        {
            // Scored on the training side only, so the test rows still judge the winner as unseen data.
            search = AutoSearch.Run(trainX, trainY, trainer, options.Search, parallelism, searchBudget);
            trainer = search.Best.Options!;
            if (search.StoppedByBudget)
                warnings.Add($"The auto trainer's search ran out of time after {search.Candidates.Count(c => c.CvMacroF1 is not null)} candidates; it kept the best of those.");
            Lap("search");
        }

        // Cross-validation does not depend on the model below: given a second thread, it fits its folds there (and on
        // any others) meanwhile, and "cross-validate" then times only what is left of it. Given one, it runs after.
        var crossValidate = options.CrossValidationFolds >= 2;
        var crossValidation = crossValidate && parallelism.MaxDegree >= 2
            ? Task.Factory.StartNew(() => CrossValidate(rows, labels, options, trainer, parallelism.MaxDegree - 1, input),
                CancellationToken.None, TaskCreationOptions.DenyChildAttach, parallelism.Scheduler)
            : null;
        var model = Fit(rows, split.Train, labels, trainer, input);
        Lap("fit");

        var testProbabilities = testX.Select(x => model.PredictProbabilities(x)).ToArray();
        var test = Metrics.Evaluate(testY, testProbabilities.Select(p => Metrics.ArgMaxTier(p)).ToArray(), testProbabilities);
        var trainAccuracy = Accuracy(model, trainX, trainY);
        var majority = Baselines.Majority(trainY, testY);
        var stratifiedRandom = Baselines.StratifiedRandom(trainY, testY, options.Seed);
        var servedTest = ServedRowsOf(input, rows, split.Test);
        var served = servedTest.Length == 0 ? null : new ServedAccuracy(Evaluate(model, servedTest), servedTest.Length);
        var growth = Growth(input, rows, split, servedTest);
        var pointInTime = input.Report?.Mode == TrainingRowsMode.PointInTime;
        if (!pointInTime && served is not null && served.Metrics.Accuracy < test.Accuracy - ServedGapWarning)
            warnings.Add($"Trained on latest counts: test accuracy {test.Accuracy:0.000}, but {served.Metrics.Accuracy:0.000} on its {served.Videos} test videos as first seen, " +
                "which is what it will be served on. Point-in-time rows (--rows point-in-time) test what is served.");
        Lap("evaluate");

        var importance = PermutationImportance.Compute(model, input.FeatureSet.FeatureNames, testX, testY, options.Seed);
        Lap("importance");

        CrossValidationSummary? cv = null;
        if (crossValidate)
        {
            cv = crossValidation?.GetAwaiter().GetResult() ?? CrossValidate(rows, labels, options, trainer, maxDegree: 1, input);
            Lap("cross-validate");
        }

        IReadOnlyList<FeatureLeakage> leakage = [];
        if (options.CheckLeakage)
        {
            // A point-in-time label is a later snapshot's measure: the features' views are not the label's views.
            var labelSources = pointInTime ? FeatureSource.None : input.Scheme?.LabelSources ?? FeatureSource.None;
            leakage = LeakageCheck.Run(input.FeatureSet, labelSources, trainX, trainY, testX, testY, options.Leakage);
            warnings.AddRange(leakage.Where(l => l.Warning is not null).Select(l => l.Warning!));
            Lap("leakage");
        }

        double? activeAccuracy = null;
        double? activeMacroF1 = null;
        if (active is not null)
        {
            if (active.Model.FeatureCount == input.FeatureSet.Count)
            {
                // On the rows the candidate is gated on: its served rows where it has them.
                var (x, y) = served is null ? (testX, testY) : (servedTest.Select(r => r.Features).ToArray(), servedTest.Select(r => r.Label).ToArray());
                var activePredicted = x.Select(f => active.Model.PredictTier(f)).ToArray();
                activeAccuracy = y.Where((t, i) => activePredicted[i] == t).Count() / (double)y.Length;
                activeMacroF1 = Metrics.Evaluate(y, activePredicted).MacroF1;
            }
            else
                warnings.Add($"Active version {active.Version} takes {active.Model.FeatureCount} features, this run {input.FeatureSet.Count}: not compared.");
        }
        var gated = served?.Metrics ?? test;
        var gate = AccuracyGate.Evaluate(new GateInput(gated.Accuracy, majority.Accuracy, activeAccuracy, active?.Version,
            gated.MacroF1, stratifiedRandom.MacroF1, activeMacroF1)
        {
            Figure = served is null ? "Test" : "Served",
            // Only a model that reads the video after posting has views to extrapolate; a pre-posting one cannot be held to
            // it, and the growth trainer is the baseline itself.
            GrowthMacroF1 = pointInTime && trainer.Kind != TrainerKind.Growth && input.FeatureSet.Features.Any(f => !f.KnownBeforePosting) ? growth?.MacroF1 : null,
        }, options.Gate);
        var bytes = model.ToBytes();
        Lap("gate-and-save");

        var weights = model.LinearWeights is { } lw ? new FeatureWeights(input.FeatureSet.FeatureNames, lw.Weights, lw.Biases) : null;
        return new TrainingResult(
            trainer.Kind, input.FeatureSet.Name, input.FeatureSet.FeatureNames, options.Split, options.Seed,
            rows.Count, trainY.Length, testY.Length, input.Thresholds,
            TierThresholds.Distribution(labels), TierThresholds.Distribution(trainY), TierThresholds.Distribution(testY),
            test, trainAccuracy, majority, stratifiedRandom, cv, leakage, warnings, activeAccuracy, gate, weights, timings, search)
        {
            FeatureImportance = importance,
            Rows = input.Report,
            Served = served,
            GrowthBaseline = growth,
            TrainedThrough = NewestTrainingObservation(rows, split.Train),
            Model = model,
            ModelBytes = bytes,
        };
    }

    private static DateTimeOffset? NewestTrainingObservation(IReadOnlyList<TrainingRow> rows, int[] train)
    {
        DateTimeOffset? newest = null;
        foreach (var i in train)
        {
            if (rows[i].Seen is not { } seen)
                return null;
            if (newest is null || seen.FirstSeenAt > newest)
                newest = seen.FirstSeenAt;
        }
        return newest;
    }

    /// <summary>A latest run whose served accuracy is this much below its test accuracy gets a warning with both.</summary>
    public const double ServedGapWarning = 0.05;

    private static ClassificationMetrics Evaluate(TierModel model, IReadOnlyList<TrainingRow> rows)
    {
        var probabilities = rows.Select(r => model.PredictProbabilities(r.Features)).ToArray();
        return Metrics.Evaluate(rows.Select(r => r.Label).ToArray(), probabilities.Select(p => Metrics.ArgMaxTier(p)).ToArray(), probabilities);
    }

    /// <summary>The served rows of the videos on the test side.</summary>
    private static TrainingRow[] ServedRowsOf(TrainingInput input, IReadOnlyList<TrainingRow> rows, int[] test)
    {
        if (input.Served is not { Count: > 0 } served)
            return [];
        var testIds = new HashSet<string>(test.Select(i => rows[i].Id), StringComparer.Ordinal);
        return served.Where(r => testIds.Contains(r.Id)).ToArray();
    }

    /// <summary>
    /// The growth baseline, fitted on the training side's observations (its point-in-time rows, else the served rows of
    /// its videos) and scored on the test videos as first seen: the same rows as served accuracy. Null without observations.
    /// </summary>
    private static ClassificationMetrics? Growth(TrainingInput input, IReadOnlyList<TrainingRow> rows, SplitIndices split, TrainingRow[] servedTest)
    {
        if (input.Thresholds is not { } thresholds)
            return null;
        var train = split.Train.Where(i => rows[i].Seen is not null).Select(i => rows[i].Seen!.Value).ToList();
        if (train.Count == 0 && input.Served is { Count: > 0 } served)
        {
            var trainIds = new HashSet<string>(split.Train.Select(i => rows[i].Id), StringComparer.Ordinal);
            train = served.Where(r => r.Seen is not null && trainIds.Contains(r.Id)).Select(r => r.Seen!.Value).ToList();
        }
        var test = servedTest.Length > 0
            ? servedTest.Where(r => r.Seen is not null).Select(r => (r.Seen!.Value, r.Label)).ToList()
            : split.Test.Where(i => rows[i].Seen is not null).Select(i => (rows[i].Seen!.Value, rows[i].Label)).ToList();
        return train.Count == 0 || test.Count == 0 ? null : GrowthRule.Evaluate(train, test, thresholds);
    }

    /// <summary>
    /// The split a run with these options uses; exposed so an export writes exactly the same rows. Point-in-time rows
    /// (those with <see cref="TrainingRow.Seen"/>) are split by video: several rows of one video land on one side, and
    /// the time split orders them by when the video was first seen, so the test videos are the latest, as served.
    /// </summary>
    public static SplitIndices SplitRows(IReadOnlyList<TrainingRow> rows, IReadOnlyList<int> labels, TrainingOptions options)
    {
        if (VideoGroups(rows) is not { } groups)
            return SplitOnce(rows, labels, options);
        var first = groups.Select(g => g[0]).ToArray();
        var side = SplitOnce(first.Select(i => rows[i]).ToArray(), first.Select(i => labels[i]).ToArray(), options);
        return new SplitIndices(Expand(groups, side.Train), Expand(groups, side.Test));
    }

    /// <summary>Row indices per video, in first-appearance order; null when no row carries an observation (one row per video).</summary>
    private static List<List<int>>? VideoGroups(IReadOnlyList<TrainingRow> rows)
    {
        if (!rows.Any(r => r.Seen is not null))
            return null;
        var byId = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var groups = new List<List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!byId.TryGetValue(rows[i].Id, out var group))
            {
                byId[rows[i].Id] = group = [];
                groups.Add(group);
            }
            group.Add(i);
        }
        return groups;
    }

    private static int[] Expand(List<List<int>> groups, int[] chosen) => chosen.SelectMany(g => groups[g]).Order().ToArray();

    private static SplitIndices SplitOnce(IReadOnlyList<TrainingRow> rows, IReadOnlyList<int> labels, TrainingOptions options) => options.Split switch
    {
        SplitKind.Stratified => Splits.Stratified(labels, options.TestFraction, options.Seed),
        SplitKind.Hash => Splits.Hash(rows.Select(r => r.Id).ToArray(), options.TestFraction, options.Seed),
        SplitKind.Time => Splits.Time(rows.Select(r => r.Seen?.FirstSeenAt ?? r.PostedAt).ToArray(), options.TestFraction),
        SplitKind.Predefined => new SplitIndices(
            Enumerable.Range(0, rows.Count).Where(i => rows[i].IsTest != true).ToArray(),
            Enumerable.Range(0, rows.Count).Where(i => rows[i].IsTest == true).ToArray()),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Split, "Unknown split."),
    };

    /// <summary>
    /// Stratified k-fold over all rows (train and test), as the peer script does; over a stratified sample of
    /// <see cref="TrainingOptions.CrossValidationMaxRows"/> when there are more. Its folds run side by side as
    /// <see cref="TrainingOptions.Parallelism"/> allows.
    /// </summary>
    public static CrossValidationSummary CrossValidate(IReadOnlyList<TrainingRow> rows, IReadOnlyList<int> labels, TrainingOptions options) =>
        CrossValidate(rows, labels, options, options.EffectiveTrainer, (options.Parallelism ?? TrainingParallelism.Default).MaxDegree, input: null);

    /// <summary>
    /// A model on the rows at <paramref name="indices"/>: ML.NET's fit, or for <see cref="TrainerKind.Growth"/> the growth
    /// rule of their observations by the run's thresholds (<paramref name="input"/>).
    /// </summary>
    private static TierModel Fit(IReadOnlyList<TrainingRow> rows, int[] indices, IReadOnlyList<int> labels, TrainerOptions trainer, TrainingInput? input)
    {
        if (trainer.Kind != TrainerKind.Growth)
            return TierModelTrainer.Train(indices.Select(i => rows[i].Features).ToArray(), indices.Select(i => labels[i]).ToArray(), trainer);
        if (input is null)
            throw new ArgumentException("The growth trainer needs the run's feature set and thresholds.", nameof(input));
        return TierModel.ForGrowth(GrowthModel.Fit(input.FeatureSet, indices.Where(i => rows[i].Seen is not null).Select(i => rows[i].Seen!.Value), input.Thresholds));
    }

    private static CrossValidationSummary CrossValidate(IReadOnlyList<TrainingRow> rows, IReadOnlyList<int> labels, TrainingOptions options, TrainerOptions trainer, int maxDegree,
        TrainingInput? input)
    {
        int? sampledFrom = null;
        if (options.CrossValidationMaxRows > 0 && rows.Count > options.CrossValidationMaxRows)
        {
            var sample = Splits.Stratified(labels, (double)options.CrossValidationMaxRows / rows.Count, options.Seed).Test;
            sampledFrom = rows.Count;
            rows = sample.Select(i => rows[i]).ToArray();
            labels = sample.Select(i => labels[i]).ToArray();
        }
        var k = options.CrossValidationFolds;
        var folds = Folds(rows, labels, k, options.Seed);
        var accuracies = new double[k];
        var f1s = new double[k];
        // Folds are independent single-threaded fits with fixed seeds, so running them side by side gives the
        // same figures as one after the other, in about 1/threads of the time.
        var scheduler = (options.Parallelism ?? TrainingParallelism.Default).Scheduler;
        Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = maxDegree, TaskScheduler = scheduler }, f =>
        {
            var s = Splits.Fold(folds, f);
            var model = Fit(rows, s.Train, labels, trainer, input);
            var actual = s.Test.Select(i => labels[i]).ToArray();
            var predicted = s.Test.Select(i => model.PredictTier(rows[i].Features)).ToArray();
            var m = Metrics.Evaluate(actual, predicted);
            accuracies[f] = m.Accuracy;
            f1s[f] = m.MacroF1;
        });
        // Population standard deviation, as numpy's std in the peer script.
        return new CrossValidationSummary(k, accuracies.Average(), Std(accuracies), f1s.Average(), Std(f1s), accuracies, rows.Count, sampledFrom);
    }

    /// <summary>Stratified folds; by video when rows carry observations, so no video's rows sit in two folds.</summary>
    private static int[] Folds(IReadOnlyList<TrainingRow> rows, IReadOnlyList<int> labels, int k, int seed)
    {
        if (VideoGroups(rows) is not { } groups)
            return Splits.StratifiedFolds(labels, k, seed);
        var ofGroup = Splits.StratifiedFolds(groups.Select(g => labels[g[0]]).ToArray(), k, seed);
        var folds = new int[rows.Count];
        for (var g = 0; g < groups.Count; g++)
            foreach (var i in groups[g])
                folds[i] = ofGroup[g];
        return folds;
    }

    public static double Accuracy(TierModel model, IReadOnlyList<float[]> x, IReadOnlyList<int> y)
    {
        var correct = 0;
        for (var i = 0; i < x.Count; i++)
            if (model.PredictTier(x[i]) == y[i])
                correct++;
        return x.Count == 0 ? 0 : (double)correct / x.Count;
    }

    private static double Std(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
