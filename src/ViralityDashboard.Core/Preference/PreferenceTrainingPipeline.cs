using System.Text.Json.Serialization;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Preference;

/// <summary>The owner's optional per-dimension scores (0–1).</summary>
public sealed record RatingDimensions(double? Hook = null, double? Pacing = null, double? Payoff = null, double? Originality = null, double? Rewatchable = null)
{
    public static IReadOnlyList<string> Names { get; } = ["hook", "pacing", "payoff", "originality", "rewatchable"];

    public double? Get(string name) => name switch
    {
        "hook" => Hook,
        "pacing" => Pacing,
        "payoff" => Payoff,
        "originality" => Originality,
        "rewatchable" => Rewatchable,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown dimension."),
    };
}

/// <summary>One owner rating joined to its flattened analysis; scores are 0–1.</summary>
/// <param name="Id">The rating's id: splits hash it and error analysis reports it for the notes lookup.</param>
public sealed record PreferenceRow(
    string Id,
    IReadOnlyDictionary<string, FeatureValue> Features,
    double OverallScore,
    RatingDimensions? Dimensions,
    DateTimeOffset RatedAt);

[JsonConverter(typeof(JsonStringEnumConverter<PreferenceSplitKind>))]
public enum PreferenceSplitKind
{
    /// <summary>
    /// Each row's side from a stable hash of its id and the seed (the default): a row never changes side as
    /// ratings accumulate, so the previous version never trained on the candidate's test rows.
    /// </summary>
    Hash,
    /// <summary>A seeded shuffle with exactly round(n × fraction) test rows, like train_test_split(random_state=42).</summary>
    Random,
}

/// <summary>When a preference candidate may become active. Bound from configuration by the Training layer.</summary>
/// <param name="MaximumMae">The seed's "acceptable": test MAE at most 0.20.</param>
/// <param name="MaximumRegression">How much higher than the previous version's MAE on the same test rows a candidate's may be.</param>
public sealed record PreferenceGateOptions(double MaximumMae = ModelVerdict.AcceptableMae, double MaximumRegression = 0.0);

public sealed record PreferenceGateDecision(bool Accepted, IReadOnlyList<string> Reasons);

/// <summary>Options of one preference run. Cross-project contract: the Training layer builds it from its options.</summary>
/// <param name="PruneBelow">At the retrain milestone and later, columns whose |r| with the score on the training rows is below this are dropped.</param>
/// <param name="IncludeLightGbm">Also try LightGBM where the forest is tried.</param>
/// <param name="DimensionMinimumRows">Rows carrying a dimension needed to train its model; null = the first-model milestone.</param>
public sealed record PreferenceTrainingOptions(
    double TestFraction = 0.2,
    int Seed = 42,
    int CrossValidationFolds = 5,
    PreferenceSplitKind Split = PreferenceSplitKind.Hash,
    NumericScaling Scaling = NumericScaling.MinMax,
    double MinimumCoverage = FeatureTyping.MinimumCoverage,
    double PruneBelow = 0.1,
    double ErrorThreshold = PreferenceMetrics.DefaultErrorThreshold,
    bool IncludeLightGbm = false,
    int? DimensionMinimumRows = null,
    int DriftBins = PopulationStability.DefaultBinCount,
    MilestoneThresholds? Milestones = null,
    PreferenceTrainerOptions? Trainer = null,
    PreferenceGateOptions? Gate = null,
    IReadOnlyList<ExpectedCorrelation>? Expectations = null,
    VerdictRule? Verdict = null)
{
    internal PreferenceTrainerOptions EffectiveTrainer => (Trainer ?? new PreferenceTrainerOptions()) with { Seed = Seed };
}

/// <summary>The active preference version, to compare with on the candidate's test rows.</summary>
public sealed record PreviousPreferenceVersion(string Version, NormalizationConfig Normalization, PreferenceModel Model, double? TestMae = null);

public sealed record FeatureWeight(string Feature, double Weight);

/// <summary>One fitted model's figures. Weights are ridge coefficients or tree importances, largest |weight| first.</summary>
public sealed record ModelEvaluation(
    PreferenceModelKind Kind,
    int FeatureCount,
    ErrorMetrics Test,
    ErrorMetrics Train,
    ErrorMetrics MeanBaseline,
    CrossValidationResult? CrossValidation,
    ModelVerdict Verdict,
    double? Intercept,
    IReadOnlyList<FeatureWeight> Weights,
    ErrorAnalysis Errors);

public sealed record DimensionEvaluation(string Dimension, int RowCount, ModelEvaluation Evaluation, NormalizationConfig Normalization)
{
    [JsonIgnore] public PreferenceModel? Model { get; init; }
    [JsonIgnore] public byte[] ModelBytes { get; init; } = [];
}

public sealed record PreviousComparison(string Version, int TestRowCount, double PreviousMae, double CandidateMae, bool Improved);

public sealed record FeatureTypeCounts(int Keys, int Numeric, int Boolean, int Categorical, int Text, int DroppedForCoverage, int Columns);

/// <summary>
/// Everything a preference run produced. Serializable with System.Text.Json (stored as jsonb); the models
/// and their bytes are excluded from JSON and stored separately.
/// </summary>
public sealed record PreferenceTrainingResult(
    int RowCount,
    MilestonePlan Plan,
    int Seed,
    PreferenceSplitKind Split,
    int TrainCount,
    int TestCount,
    FeatureTypeCounts? Typing,
    FeatureImportanceSnapshot? Snapshot,
    NormalizationConfig? Normalization,
    IReadOnlyList<string> PrunedFeatures,
    PreferenceModelKind? SelectedKind,
    IReadOnlyList<ModelEvaluation> Candidates,
    IReadOnlyList<DimensionEvaluation> Dimensions,
    PreviousComparison? Previous,
    PreferenceGateDecision? Gate,
    DriftReference? DriftReference,
    IReadOnlyList<string> Warnings)
{
    [JsonIgnore] public ModelEvaluation? Selected => Candidates.FirstOrDefault(c => c.Kind == SelectedKind);
    [JsonIgnore] public PreferenceModel? Model { get; init; }
    [JsonIgnore] public byte[] ModelBytes { get; init; } = [];
}

/// <summary>
/// One preference run without I/O, along the milestones of seed 003 §8: correlation snapshot from 100
/// rows, ridge from 200, pruning and comparison with the previous version from 300, ridge versus forest
/// from 500. Deterministic for the same rows and options, whatever order the rows come in.
/// </summary>
public static class PreferenceTrainingPipeline
{
    public static PreferenceTrainingResult Run(IReadOnlyList<PreferenceRow> rows, PreferenceTrainingOptions? options = null, PreviousPreferenceVersion? previous = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new PreferenceTrainingOptions();
        var sorted = rows.OrderBy(r => r.RatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();
        if (sorted.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != sorted.Length)
            throw new ArgumentException("Row ids must be unique.", nameof(rows));
        var plan = MilestonePlanner.Plan(sorted.Length, previous is not null, options.Milestones);
        var warnings = new List<string>();
        var empty = new PreferenceTrainingResult(sorted.Length, plan, options.Seed, options.Split, 0, 0, null, null, null, [], null, [], [], null, null, null, warnings);
        if (!plan.RunCorrelation)
            return empty;

        var features = sorted.Select(r => r.Features).ToArray();
        var target = sorted.Select(r => r.OverallScore).ToArray();

        // Without a model everything is descriptive, over all rows; with one, typing and scaling see only the
        // training rows so the test rows stay unseen.
        var split = plan.TrainModel ? Split(sorted, options) : new SplitIndices(Enumerable.Range(0, sorted.Length).ToArray(), []);
        if (plan.TrainModel && (split.Train.Length < 2 || split.Test.Length == 0))
            throw new InvalidOperationException($"The {options.Split} split left {split.Train.Length} train and {split.Test.Length} test rows.");
        var fitRows = split.Train.Select(i => features[i]).ToArray();
        var metadata = FeatureTyping.Describe(fitRows);
        var config = FeatureNormalizer.Fit(fitRows, metadata, options.Scaling, options.MinimumCoverage);
        var typing = Count(metadata, config, options.MinimumCoverage);
        var vectors = FeatureNormalizer.Vectorize(config, features);
        var correlations = CorrelationAnalysis.Analyze(vectors, target, config.FeatureNames);
        var snapshot = CorrelationAnalysis.Snapshot(sorted.Length, correlations, options.Expectations ?? CorrelationAnalysis.SeedExpectations);
        var result = empty with { Typing = typing, Snapshot = snapshot, Normalization = config };
        if (!plan.TrainModel)
            return result;

        IReadOnlyList<string> pruned = [];
        var fullConfig = config;
        if (plan.PruneFeatures)
        {
            var trainCorrelations = CorrelationAnalysis.Analyze(split.Train.Select(i => vectors[i]).ToArray(), split.Train.Select(i => target[i]).ToArray(), config.FeatureNames);
            pruned = trainCorrelations.Where(c => Math.Abs(c.R) < options.PruneBelow).Select(c => c.Feature).Order(StringComparer.Ordinal).ToArray();
            var kept = trainCorrelations.Where(c => Math.Abs(c.R) >= options.PruneBelow).Select(c => c.Feature).ToArray();
            if (kept.Length == 0)
                warnings.Add($"No feature reaches |r| ≥ {options.PruneBelow} on the training rows; pruning skipped.");
            else
            {
                config = config.Keep(kept);
                vectors = FeatureNormalizer.Vectorize(config, features);
            }
        }

        var kinds = new List<PreferenceModelKind> { PreferenceModelKind.Ridge };
        if (plan.CompareForest)
        {
            kinds.Add(PreferenceModelKind.RandomForest);
            if (options.IncludeLightGbm)
                kinds.Add(PreferenceModelKind.LightGbm);
        }

        var ids = sorted.Select(r => r.Id).ToArray();
        var fitted = kinds.Select(k => Fit(k, vectors, target, ids, split, config.FeatureNames, options)).ToArray();
        // The lowest cross-validated MAE wins (steadier than one test split); ties keep the simpler, earlier kind.
        var best = fitted.OrderBy(f => f.Evaluation.CrossValidation?.MaeMean ?? f.Evaluation.Test.Mae).First();

        PreviousComparison? comparison = null;
        if (previous is not null)
            comparison = Compare(previous, best.Evaluation, split.Test.Select(i => features[i]).ToArray(), split.Test.Select(i => target[i]).ToArray(), warnings);
        var gate = Gate(best.Evaluation, comparison, options.Gate ?? new PreferenceGateOptions());

        var drift = PopulationStability.Reference(split.Train.Select(i => vectors[i]).ToArray(), config.FeatureNames, options.DriftBins);
        var dimensions = Dimensions(sorted, fullConfig, best.Evaluation.Kind, plan.PruneFeatures, options);

        return result with
        {
            TrainCount = split.Train.Length,
            TestCount = split.Test.Length,
            Normalization = config,
            PrunedFeatures = pruned,
            SelectedKind = best.Evaluation.Kind,
            Candidates = fitted.Select(f => f.Evaluation).ToArray(),
            Dimensions = dimensions,
            Previous = comparison,
            Gate = gate,
            DriftReference = drift,
            Model = best.Model,
            ModelBytes = best.Model.ToBytes(),
        };
    }

    /// <summary>The split a run with these options uses; exposed so an export writes exactly the same rows.</summary>
    public static SplitIndices Split(IReadOnlyList<PreferenceRow> rows, PreferenceTrainingOptions options) => options.Split switch
    {
        PreferenceSplitKind.Hash => Splits.Hash(rows.Select(r => r.Id).ToArray(), options.TestFraction, options.Seed),
        // One stratum: a plain seeded shuffle with an exact test count.
        PreferenceSplitKind.Random => Splits.Stratified(new int[rows.Count], options.TestFraction, options.Seed),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Split, "Unknown split."),
    };

    /// <summary>k-fold over all rows (seeded shuffle), MAE per fold, population standard deviation.</summary>
    public static CrossValidationResult CrossValidate(PreferenceModelKind kind, IReadOnlyList<double[]> vectors, IReadOnlyList<double> target, int folds, PreferenceTrainerOptions trainer, int seed)
    {
        var assignment = Splits.StratifiedFolds(new int[vectors.Count], folds, seed);
        var maes = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            var s = Splits.Fold(assignment, f);
            var model = PreferenceModelTrainer.Train(kind, s.Train.Select(i => vectors[i]).ToArray(), s.Train.Select(i => target[i]).ToArray(), trainer);
            maes[f] = PreferenceMetrics.Evaluate(s.Test.Select(i => target[i]).ToArray(), s.Test.Select(i => model.Predict(vectors[i])).ToArray()).Mae;
        }

        return new CrossValidationResult(folds, maes.Average(), PreferenceMetrics.PopulationStd(maes), maes);
    }

    private sealed record Fitted(ModelEvaluation Evaluation, PreferenceModel Model);

    private static Fitted Fit(
        PreferenceModelKind kind,
        double[][] vectors,
        double[] target,
        string[] ids,
        SplitIndices split,
        IReadOnlyList<string> featureNames,
        PreferenceTrainingOptions options)
    {
        var trainer = options.EffectiveTrainer;
        var trainY = split.Train.Select(i => target[i]).ToArray();
        var testY = split.Test.Select(i => target[i]).ToArray();
        var model = PreferenceModelTrainer.Train(kind, split.Train.Select(i => vectors[i]).ToArray(), trainY, trainer);
        var testPredicted = split.Test.Select(i => model.Predict(vectors[i])).ToArray();
        var test = PreferenceMetrics.Evaluate(testY, testPredicted);
        var train = PreferenceMetrics.Evaluate(trainY, split.Train.Select(i => model.Predict(vectors[i])).ToArray());
        var cv = options.CrossValidationFolds >= 2 && vectors.Length >= options.CrossValidationFolds
            ? CrossValidate(kind, vectors, target, options.CrossValidationFolds, trainer, options.Seed)
            : null;
        var weights = model.Importances
            .Select((w, i) => new FeatureWeight(featureNames[i], w))
            .OrderByDescending(w => Math.Abs(w.Weight))
            .ThenBy(w => w.Feature, StringComparer.Ordinal)
            .ToArray();
        var meanBaseline = PreferenceMetrics.MeanBaseline(trainY, testY);
        var evaluation = new ModelEvaluation(
            kind,
            featureNames.Count,
            test,
            train,
            meanBaseline,
            cv,
            ModelVerdict.Of(test.Mae, test.R2, meanBaseline.Mae, options.Verdict),
            model.Linear?.Intercept,
            weights,
            PreferenceMetrics.AnalyzeErrors(split.Test.Select(i => ids[i]).ToArray(), testY, testPredicted, options.ErrorThreshold));
        return new Fitted(evaluation, model);
    }

    private static PreviousComparison? Compare(PreviousPreferenceVersion previous, ModelEvaluation candidate, IReadOnlyDictionary<string, FeatureValue>[] testFeatures, double[] testY, List<string> warnings)
    {
        if (previous.Normalization.Columns.Count != previous.Model.FeatureCount)
        {
            warnings.Add($"Previous version {previous.Version}: its config has {previous.Normalization.Columns.Count} columns but its model {previous.Model.FeatureCount} features; not compared.");
            return null;
        }

        // The previous version reads each analysis through its own stored configuration.
        var predicted = testFeatures.Select(f => previous.Model.Predict(FeatureNormalizer.Vectorize(previous.Normalization, f))).ToArray();
        var previousMae = PreferenceMetrics.Evaluate(testY, predicted).Mae;
        return new PreviousComparison(previous.Version, testY.Length, previousMae, candidate.Test.Mae, candidate.Test.Mae < previousMae);
    }

    private static PreferenceGateDecision Gate(ModelEvaluation candidate, PreviousComparison? previous, PreferenceGateOptions options)
    {
        var failed = new List<string>();
        var passed = new List<string>();
        var mae = candidate.Test.Mae;
        var baseline = candidate.MeanBaseline.Mae;
        // Reasons read in points of the 0–10 scale, as the metrics beside them on the pages.
        static string P(double v) => ModelVerdict.Points(v);
        (mae < baseline ? passed : failed).Add(
            $"Test MAE {P(mae)} {(mae < baseline ? "beats" : "does not beat")} the mean-predictor baseline ({P(baseline)}), in points of the 0–10 scale.");
        (mae <= options.MaximumMae ? passed : failed).Add(
            $"Test MAE {P(mae)} is {(mae <= options.MaximumMae ? "within" : "above")} the {P(options.MaximumMae)} limit.");
        if (previous is not null)
        {
            var ok = mae <= previous.PreviousMae + options.MaximumRegression;
            (ok ? passed : failed).Add(
                $"Version {previous.Version} scores MAE {P(previous.PreviousMae)} on the same {previous.TestRowCount} test rows; the candidate {P(mae)} is {(ok ? "not worse" : "worse")} (allowed +{P(options.MaximumRegression)}).");
        }
        else
        {
            passed.Add("No previous version to compare with.");
        }

        return new PreferenceGateDecision(failed.Count == 0, [.. failed, .. passed]);
    }

    private static IReadOnlyList<DimensionEvaluation> Dimensions(PreferenceRow[] rows, NormalizationConfig fullConfig, PreferenceModelKind kind, bool prune, PreferenceTrainingOptions options)
    {
        var minimum = options.DimensionMinimumRows ?? (options.Milestones ?? new MilestoneThresholds()).FirstModel;
        var result = new List<DimensionEvaluation>();
        foreach (var name in RatingDimensions.Names)
        {
            var carrying = rows.Where(r => r.Dimensions?.Get(name) is not null).ToArray();
            if (carrying.Length < minimum)
                continue;
            var split = Split(carrying, options);
            if (split.Train.Length < 2 || split.Test.Length == 0)
                continue;
            // Each dimension starts from all columns and, where the milestone prunes, keeps those with
            // |r| ≥ PruneBelow against that dimension on its own training rows.
            var config = fullConfig;
            var vectors = carrying.Select(r => FeatureNormalizer.Vectorize(config, r.Features)).ToArray();
            var target = carrying.Select(r => r.Dimensions!.Get(name)!.Value).ToArray();
            if (prune)
            {
                var kept = CorrelationAnalysis.Analyze(split.Train.Select(i => vectors[i]).ToArray(), split.Train.Select(i => target[i]).ToArray(), config.FeatureNames)
                    .Where(c => Math.Abs(c.R) >= options.PruneBelow).Select(c => c.Feature).ToArray();
                if (kept.Length > 0)
                {
                    config = config.Keep(kept);
                    vectors = carrying.Select(r => FeatureNormalizer.Vectorize(config, r.Features)).ToArray();
                }
            }

            var fitted = Fit(kind, vectors, target, carrying.Select(r => r.Id).ToArray(), split, config.FeatureNames, options);
            result.Add(new DimensionEvaluation(name, carrying.Length, fitted.Evaluation, config) { Model = fitted.Model, ModelBytes = fitted.Model.ToBytes() });
        }

        return result;
    }

    private static FeatureTypeCounts Count(IReadOnlyList<FeatureMetadata> metadata, NormalizationConfig config, double minimumCoverage) => new(
        metadata.Count,
        metadata.Count(m => m.Type == FeatureType.Numeric),
        metadata.Count(m => m.Type == FeatureType.Boolean),
        metadata.Count(m => m.Type == FeatureType.Categorical),
        metadata.Count(m => m.Type == FeatureType.Text),
        metadata.Count(m => m.Type != FeatureType.Text && m.Coverage < minimumCoverage),
        config.Columns.Count);
}
