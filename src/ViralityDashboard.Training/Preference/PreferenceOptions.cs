using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Preference;

/// <summary>Settings of the preference model (seed 003), section <c>Virality:Preference</c> (environment <c>Virality__Preference__…</c>).</summary>
public sealed class PreferenceOptions() : TrainingRunOptions(timeBudgetSeconds: 300)
{
    // What the settings below mean to the services: the rows a run reads, its triggers and its pipeline.
    public PreferenceRowFilter Filter => new(AnalysisVersion, MinimumFeatureCount);

    public RetrainTriggerOptions Triggers => new(TriggerNewRatings, TriggerMaeDegradation, TriggerMinimumNewerRatings, TriggerFeatureDrift, TriggerMinimumRecentRows);

    public PreferenceTrainingOptions Pipeline => new(
        TestFraction,
        Seed,
        CrossValidationFolds,
        ParseSplit(Split),
        ParseScaling(Scaling),
        MinimumCoverage,
        PruneBelow,
        ErrorThreshold,
        IncludeLightGbm,
        DimensionMinimumRows: null,
        DriftBins,
        new MilestoneThresholds(CorrelationRows, FirstModelRows, RetrainRows, ModelComparisonRows),
        Trainer: null,
        new PreferenceGateOptions(GateMaximumMae, GateMaximumRegression),
        Expectations(),
        VerdictRule);

    public VerdictRule VerdictRule => new(VerdictMinimumBaselineGain, VerdictMinimumR2);


    /// <summary>Analysis version whose analyses are training data (seed 003 §2: v3).</summary>
    public string AnalysisVersion { get; set; } = "v3";

    /// <summary>An analysis needs at least this many flattened features to count (seed 003 §2: 100).</summary>
    public int MinimumFeatureCount { get; set; } = 100;

    /// <summary>Numeric scaling stored with the model: <c>minmax</c> (default), <c>zscore</c> or <c>robust</c>.</summary>
    public string Scaling { get; set; } = "minmax";

    /// <summary>Split: <c>hash</c> (of the rating id; a row never changes side) or <c>random</c> (exact seeded shuffle).</summary>
    public string Split { get; set; } = "hash";

    /// <summary>Features with coverage below this are dropped (seed 003 §3.3: 50 %).</summary>
    public double MinimumCoverage { get; set; } = 0.5;

    /// <summary>From the retrain milestone, features with |r| below this are pruned (seed 003 §8: 0.1).</summary>
    public double PruneBelow { get; set; } = 0.1;

    /// <summary>Also try LightGBM where the random forest is tried.</summary>
    public bool IncludeLightGbm { get; set; }

    /// <summary>|predicted − actual| above which a row is listed in the error analysis (seed 003 §6.3: 0.2).</summary>
    public double ErrorThreshold { get; set; } = 0.2;

    /// <summary>Milestone row counts (seed 003 §8): correlation, first model, retrain, model comparison.</summary>
    public int CorrelationRows { get; set; } = 100;
    public int FirstModelRows { get; set; } = 200;
    public int RetrainRows { get; set; } = 300;
    public int ModelComparisonRows { get; set; } = 500;

    /// <summary>The gate: test MAE at most this (seed 003 §6.2 "acceptable": 0.20) and below the mean baseline.</summary>
    public double GateMaximumMae { get; set; } = 0.20;

    /// <summary>How much higher than the active preference version's MAE on the same test rows a candidate's may be.</summary>
    public double GateMaximumRegression { get; set; }

    /// <summary>"Production ready" also needs test MAE at least this fraction below the mean baseline's (default 0.10: 10 %).</summary>
    public double VerdictMinimumBaselineGain { get; set; } = VerdictRule.DefaultMinimumBaselineGain;

    /// <summary>"Production ready" also needs test R² at least this (default 0.4, seed 003 §6.2's floor of "moderate").</summary>
    public double VerdictMinimumR2 { get; set; } = ModelVerdict.ModerateR2;

    /// <summary>Expected-positive features of the correlation check; unset = seed 003 §4.2's list.</summary>
    public string[]? ExpectedPositive { get; set; }

    /// <summary>Expected-negative features of the correlation check; unset = seed 003 §4.2's list.</summary>
    public string[]? ExpectedNegative { get; set; }

    /// <summary>Data-driven retrain triggers (seed 003 §9): new ratings since the active version.</summary>
    public int TriggerNewRatings { get; set; } = 50;

    /// <summary>Live MAE on ratings newer than the active version this much above its test MAE fires a retrain.</summary>
    public double TriggerMaeDegradation { get; set; } = 0.05;

    /// <summary>Newer ratings needed before degradation is judged.</summary>
    public int TriggerMinimumNewerRatings { get; set; } = 20;

    /// <summary>Mean PSI over the model's features at or above this fires a retrain.</summary>
    public double TriggerFeatureDrift { get; set; } = 0.1;

    /// <summary>Recent rows needed before drift is judged.</summary>
    public int TriggerMinimumRecentRows { get; set; } = 50;

    /// <summary>Bins per feature of the PSI reference (quintiles; see PopulationStability).</summary>
    public int DriftBins { get; set; } = PopulationStability.DefaultBinCount;

    /// <summary>Whether the web app schedules the data-trigger check.</summary>
    public bool DataTriggersEnabled { get; set; } = true;

    /// <summary>Quartz cron of the data-trigger check, UTC (default every 15 minutes).</summary>
    public string DataTriggerCron { get; set; } = "0 0/15 * * * ?";

    /// <summary>Served predictions waiting to be written; when full, further ones are dropped and counted.</summary>
    public int PredictionLogCapacity { get; set; } = 10_000;

    /// <summary>The rate page's most-uncertain-first queue scores at most this many unrated analyzed videos (the newest analyses).</summary>
    public int UncertaintyCandidateLimit { get; set; } = 20_000;

    /// <summary>How long one uncertainty ranking is reused for the same active version before candidates are read again.</summary>
    public double UncertaintyCacheMinutes { get; set; } = 10;

    public const string Section = "Virality:Preference";

    private IReadOnlyList<ExpectedCorrelation>? Expectations() =>
        ExpectedPositive is null && ExpectedNegative is null
            ? null
            : [.. (ExpectedPositive ?? []).Select(f => new ExpectedCorrelation(f, +1)), .. (ExpectedNegative ?? []).Select(f => new ExpectedCorrelation(f, -1))];

    public static PreferenceSplitKind ParseSplit(string name) => name.ToLowerInvariant() switch
    {
        "hash" => PreferenceSplitKind.Hash,
        "random" => PreferenceSplitKind.Random,
        _ => throw new ArgumentException($"Unknown split '{name}'. Known: hash, random.", nameof(name)),
    };

    public static NumericScaling ParseScaling(string name) => name.ToLowerInvariant() switch
    {
        "minmax" or "min-max" => NumericScaling.MinMax,
        "zscore" or "z-score" => NumericScaling.ZScore,
        "robust" => NumericScaling.Robust,
        _ => throw new ArgumentException($"Unknown scaling '{name}'. Known: minmax, zscore, robust.", nameof(name)),
    };

    internal static IEnumerable<string> Validate(PreferenceOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.AnalysisVersion)) yield return "AnalysisVersion is required.";
        if (o.MinimumFeatureCount < 0) yield return "MinimumFeatureCount cannot be negative.";
        if (o.UncertaintyCandidateLimit < 1) yield return "UncertaintyCandidateLimit must be at least 1.";
        if (o.UncertaintyCacheMinutes < 0) yield return "UncertaintyCacheMinutes cannot be negative.";
        foreach (var error in Unparsable((nameof(Scaling), () => ParseScaling(o.Scaling)), (nameof(Split), () => ParseSplit(o.Split))))
            yield return error;
        if (o.CrossValidationFolds is < 0 or 1) yield return "CrossValidationFolds must be 0 (off) or at least 2.";
        if (o.MinimumCoverage is < 0 or > 1) yield return "MinimumCoverage must be within 0..1.";
        if (o.PruneBelow is < 0 or >= 1) yield return "PruneBelow must be within 0..1.";
        if (o.ErrorThreshold <= 0) yield return "ErrorThreshold must be positive.";
        if (!(0 < o.CorrelationRows && o.CorrelationRows <= o.FirstModelRows && o.FirstModelRows <= o.RetrainRows && o.RetrainRows <= o.ModelComparisonRows))
            yield return "Milestones must be positive and not decrease: CorrelationRows ≤ FirstModelRows ≤ RetrainRows ≤ ModelComparisonRows.";
        if (o.FirstModelRows < 10) yield return "FirstModelRows must be at least 10.";
        if (o.GateMaximumMae is <= 0 or > 1) yield return "GateMaximumMae must be within 0..1.";
        if (o.GateMaximumRegression is < 0 or > 1) yield return "GateMaximumRegression must be within 0..1.";
        if (o.VerdictMinimumBaselineGain is < 0 or >= 1) yield return "VerdictMinimumBaselineGain must be within 0..1 (a fraction of the mean baseline's MAE).";
        if (o.VerdictMinimumR2 is < 0 or > 1) yield return "VerdictMinimumR2 must be within 0..1.";
        if (o.TriggerNewRatings < 1) yield return "TriggerNewRatings must be at least 1.";
        if (o.TriggerMaeDegradation <= 0) yield return "TriggerMaeDegradation must be positive.";
        if (o.TriggerMinimumNewerRatings < 1) yield return "TriggerMinimumNewerRatings must be at least 1.";
        if (o.TriggerFeatureDrift <= 0) yield return "TriggerFeatureDrift must be positive.";
        if (o.TriggerMinimumRecentRows < 2) yield return "TriggerMinimumRecentRows must be at least 2.";
        if (o.DriftBins < 2) yield return "DriftBins must be at least 2.";
        if (!Quartz.CronExpression.TryParse(o.DataTriggerCron, out _)) yield return $"DataTriggerCron '{o.DataTriggerCron}' is not a valid Quartz cron expression.";
        foreach (var error in o.ValidateRunSettings())
            yield return error;
        if (o.PredictionLogCapacity < 1) yield return "PredictionLogCapacity must be at least 1.";
    }
}
