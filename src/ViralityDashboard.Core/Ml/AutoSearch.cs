using System.Diagnostics;

namespace ViralityDashboard.Core.Ml;

/// <summary>How the <see cref="TrainerKind.Auto"/> trainer searches. Cross-project contract (Training passes its budget).</summary>
/// <param name="Folds">k of the stratified k-fold over the training rows that scores each candidate.</param>
/// <param name="LightGbmSamples">LightGBM settings drawn (seeded) from the grid, beside its default.</param>
/// <param name="MaxRows">Above this many training rows, candidates are scored on a stratified sample of this size.</param>
/// <param name="EarlyStoppingRounds">LightGBM stops when its validation log-loss has not improved for this many rounds.</param>
/// <param name="MaxIterations">LightGBM's iteration cap under early stopping.</param>
public sealed record AutoSearchOptions(
    int Folds = 3,
    int LightGbmSamples = 6,
    int MaxRows = 20_000,
    int EarlyStoppingRounds = 20,
    int MaxIterations = 400);

/// <summary>One configuration the search tried.</summary>
/// <param name="Trainer">The model form's wire name (never auto): stored JSON writes enums by member name, the pages by wire name.</param>
/// <param name="Hyperparameters">The settings that differ between candidates, by name, for the run page and the CLI.</param>
/// <param name="CvMacroF1">Mean macro-F1 over the search's folds; null when the budget ran out before it was scored.</param>
/// <param name="CvKappa">Mean quadratic weighted kappa over the same folds.</param>
/// <param name="Milliseconds">Wall time of its folds.</param>
public sealed record AutoCandidate(
    string Trainer,
    IReadOnlyDictionary<string, string> Hyperparameters,
    double? CvMacroF1,
    double? CvKappa,
    double Milliseconds)
{
    /// <summary>The options it was fitted with (not stored: <see cref="Hyperparameters"/> says what varied).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public TrainerOptions? Options { get; init; }
}

/// <summary>What a search tried and kept; stored in the run's metrics.</summary>
/// <param name="Chosen">Index in <see cref="Candidates"/> of the one kept.</param>
/// <param name="Rows">Training rows the folds were cut from.</param>
/// <param name="SampledFrom">All training rows, when <see cref="Rows"/> is a sample of them.</param>
/// <param name="StoppedByBudget">The time budget ran out: the best scored so far was kept, later candidates were not tried.</param>
public sealed record AutoSearchSummary(
    IReadOnlyList<AutoCandidate> Candidates, int Chosen, int Folds, int Rows, int? SampledFrom, bool StoppedByBudget)
{
    [System.Text.Json.Serialization.JsonIgnore] public AutoCandidate Best => Candidates[Chosen];
}

/// <summary>
/// The <see cref="TrainerKind.Auto"/> trainer: a small, seeded, time-boxed search. Scores logistic regression (with
/// and without balanced class weights), LightGBM (its default and seeded draws over num-leaves, learning rate and
/// minimum rows per leaf, each with early stopping on a validation fold), the best LightGBM without class weights and
/// as the ordinal form, and the forest, by stratified k-fold macro-F1 on the training rows (the test rows stay unseen), and keeps
/// the best. Deterministic for the same rows, options and seed when the budget does not run out.
/// Microsoft.ML.AutoML is not served here; this is the small part of it we need.
/// </summary>
public static class AutoSearch
{
    private static readonly int[] Leaves = [7, 15, 31, 63];
    private static readonly double[] LearningRates = [0.03, 0.05, 0.1, 0.2];
    private static readonly int[] MinDataPerLeaf = [5, 10, 20, 50];

    /// <summary>
    /// The first candidates in the order they are tried: the usually strongest first (LightGBM's default, its ordinal
    /// form, then the logistic regression), so a budget that runs out early still has a good one; then the drawn LightGBM
    /// settings. The best LightGBM's variants, the unweighted logistic regression and the forest (the slowest fit: five
    /// one-versus-all forests) follow. The ordinal form comes second because the tiers are ordered: on the demo's
    /// point-in-time rows it was the only form that beat the growth baseline, and a search cut short after two candidates
    /// (a 15 s budget on a busy machine) kept the plain form and was rejected by the gate.
    /// </summary>
    public static IReadOnlyList<TrainerOptions> Candidates(AutoSearchOptions options, TrainerOptions baseOptions)
    {
        var b = Base(baseOptions);
        var lightGbm = LightGbm(b, options, 31, 0.1, 20);
        var list = new List<TrainerOptions>
        {
            lightGbm,
            lightGbm with { Kind = TrainerKind.LightGbmOrdinal },
            b,
        };
        var random = new Random(baseOptions.Seed);
        var seen = new HashSet<(int, double, int)> { (31, 0.1, 20) };
        // Draws without repeats; 64 grid points, so a handful of draws always find new ones.
        while (seen.Count <= options.LightGbmSamples)
        {
            var draw = (Leaves[random.Next(Leaves.Length)], LearningRates[random.Next(LearningRates.Length)], MinDataPerLeaf[random.Next(MinDataPerLeaf.Length)]);
            if (seen.Add(draw))
                list.Add(LightGbm(b, options, draw.Item1, draw.Item2, draw.Item3));
        }
        return list;
    }

    private static TrainerOptions Base(TrainerOptions o) => o with { Kind = TrainerKind.Lbfgs, BalancedClassWeights = true };

    /// <summary>
    /// Scores the candidates on <paramref name="parallelism"/> (each fit single-threaded, a candidate's folds side by
    /// side) until they are all scored or <paramref name="budget"/> is cancelled; then keeps the best macro-F1 (the
    /// earlier on a tie). When the budget ends before any candidate is scored, the first (LightGBM's default) is kept.
    /// </summary>
    public static AutoSearchSummary Run(
        IReadOnlyList<float[]> features, IReadOnlyList<int> labels, TrainerOptions baseOptions,
        AutoSearchOptions? options = null, TrainingParallelism? parallelism = null, CancellationToken budget = default,
        Action<AutoCandidate>? progress = null)
    {
        options ??= new AutoSearchOptions();
        parallelism ??= TrainingParallelism.Default;
        int? sampledFrom = null;
        if (options.MaxRows > 0 && features.Count > options.MaxRows)
        {
            var sample = Splits.Stratified(labels, (double)options.MaxRows / features.Count, baseOptions.Seed).Test;
            sampledFrom = features.Count;
            features = sample.Select(i => features[i]).ToArray();
            labels = sample.Select(i => labels[i]).ToArray();
        }
        var folds = Splits.StratifiedFolds(labels, options.Folds, baseOptions.Seed);
        var candidates = new List<AutoCandidate>();
        var queue = new Queue<TrainerOptions>(Candidates(options, baseOptions));
        var triedVariants = false;
        var stopped = false;
        while (queue.Count > 0)
        {
            var candidate = queue.Dequeue();
            if (budget.IsCancellationRequested)
            {
                stopped = true;
                break;
            }
            var scored = Score(features, labels, folds, candidate, parallelism, budget);
            if (scored is null)
            {
                stopped = true;
                break;
            }
            candidates.Add(scored);
            progress?.Invoke(scored);
            // Once the drawn LightGBM settings are scored, the best of them tries the two uses of the tiers' order and
            // counts: without class weights, and as the ordinal form (a regression on the tier with learned cuts).
            if (queue.Count == 0 && !triedVariants)
            {
                triedVariants = true;
                var bestTree = candidates.Where(c => c.Options?.Kind == TrainerKind.LightGbm).MaxBy(c => c.CvMacroF1);
                if (bestTree?.Options is { } o)
                {
                    queue.Enqueue(o with { BalancedClassWeights = false });
                    // The default's ordinal form was tried already.
                    if (candidates.All(c => c.Options != o with { Kind = TrainerKind.LightGbmOrdinal }))
                        queue.Enqueue(o with { Kind = TrainerKind.LightGbmOrdinal });
                }
                queue.Enqueue(Base(baseOptions) with { BalancedClassWeights = false });
                queue.Enqueue(Base(baseOptions) with { Kind = TrainerKind.FastForest });
            }
        }
        if (candidates.Count == 0)
        {
            var fallback = Candidates(options, baseOptions)[0];
            return new AutoSearchSummary([new AutoCandidate(fallback.Kind.Wire(), Describe(fallback), null, null, 0) { Options = fallback }], 0, options.Folds, labels.Count, sampledFrom, true);
        }
        var chosen = 0;
        for (var i = 1; i < candidates.Count; i++)
            if (candidates[i].CvMacroF1 > candidates[chosen].CvMacroF1)
                chosen = i;
        return new AutoSearchSummary(candidates, chosen, options.Folds, labels.Count, sampledFrom, stopped);
    }

    /// <summary>The settings of a candidate that the search varies, as shown on the run page.</summary>
    public static IReadOnlyDictionary<string, string> Describe(TrainerOptions o)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["classWeights"] = o.BalancedClassWeights ? "balanced" : "none" };
        switch (o.Kind)
        {
            case TrainerKind.Lbfgs:
                d["l2"] = Invariant(o.L2Regularization);
                break;
            case TrainerKind.FastForest:
                d["trees"] = Invariant(o.ForestTrees);
                d["leaves"] = Invariant(o.ForestLeaves);
                break;
            case TrainerKind.LightGbm or TrainerKind.LightGbmOrdinal:
                d["numLeaves"] = Invariant(o.LightGbmLeaves);
                d["learningRate"] = Invariant(o.LightGbmLearningRate);
                d["minDataPerLeaf"] = Invariant(o.LightGbmMinDataPerLeaf);
                d["iterations"] = o.LightGbmEarlyStoppingRounds > 0
                    ? $"≤ {o.LightGbmIterations}, early stopping after {o.LightGbmEarlyStoppingRounds} on a {o.ValidationFraction:0%} validation fold"
                    : Invariant(o.LightGbmIterations);
                break;
        }
        return d;
    }

    private static TrainerOptions LightGbm(TrainerOptions b, AutoSearchOptions s, int leaves, double rate, int minData) => b with
    {
        Kind = TrainerKind.LightGbm,
        LightGbmLeaves = leaves,
        LightGbmLearningRate = rate,
        LightGbmMinDataPerLeaf = minData,
        LightGbmIterations = s.MaxIterations,
        LightGbmEarlyStoppingRounds = s.EarlyStoppingRounds,
    };

    private static AutoCandidate? Score(
        IReadOnlyList<float[]> x, IReadOnlyList<int> y, int[] folds, TrainerOptions o, TrainingParallelism parallelism, CancellationToken budget)
    {
        var k = folds.Max() + 1;
        var f1 = new double[k];
        var kappa = new double[k];
        var clock = Stopwatch.StartNew();
        try
        {
            // As TrainingPipeline.CrossValidate: single-threaded seeded fits, side by side on the training threads.
            Parallel.For(0, k, new ParallelOptions { MaxDegreeOfParallelism = parallelism.MaxDegree, TaskScheduler = parallelism.Scheduler, CancellationToken = budget }, f =>
            {
                var s = Splits.Fold(folds, f);
                var model = TierModelTrainer.Train(s.Train.Select(i => x[i]).ToArray(), s.Train.Select(i => y[i]).ToArray(), o);
                var m = Metrics.Evaluate(s.Test.Select(i => y[i]).ToArray(), s.Test.Select(i => model.PredictTier(x[i])).ToArray());
                f1[f] = m.MacroF1;
                kappa[f] = m.QuadraticWeightedKappa;
            });
        }
        catch (OperationCanceledException)
        {
            // A candidate cut short by the budget is not scored: half its folds would not compare with the others.
            return null;
        }
        return new AutoCandidate(o.Kind.Wire(), Describe(o), f1.Average(), kappa.Average(), clock.Elapsed.TotalMilliseconds) { Options = o };
    }

    private static string Invariant(IFormattable? value) => value?.ToString(null, System.Globalization.CultureInfo.InvariantCulture) ?? "default";
}
