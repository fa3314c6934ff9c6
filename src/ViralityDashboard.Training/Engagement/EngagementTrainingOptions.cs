using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Engagement;

/// <summary>Settings of the engagement-tier training runs, section <c>Virality:Training</c> (environment <c>Virality__Training__GateMinimumAccuracy</c> …).</summary>
// 300 s since auto became the default: its search (AutoSearchSeconds) comes before the winner's fit and cross-validation.
public sealed class EngagementTrainingOptions() : TrainingRunOptions(timeBudgetSeconds: 300)
{
    public const string Section = "Virality:Training";

    /// <summary>Test accuracy a candidate needs to be activated (seed 002: 0.60).</summary>
    public double GateMinimumAccuracy { get; set; } = 0.60;

    /// <summary>How much worse than the active version, on the same test rows, a candidate may be.</summary>
    public double GateMaximumRegression { get; set; } = 0.02;

    /// <summary>
    /// Pre-posting versions get their own gate (true, default): they know no views, so they cannot reach the accuracy
    /// gate; instead their test macro-F1 must beat the stratified-random baseline by <see cref="PrePostingGateMinimumMacroF1Lift"/>
    /// and not fall below the active pre-posting version by more than <see cref="PrePostingGateMaximumRegression"/>. False: the accuracy gate.
    /// </summary>
    public bool PrePostingOwnGate { get; set; } = true;

    /// <summary>Macro-F1 a pre-posting candidate needs above the stratified-random baseline's (default 0.05).</summary>
    public double PrePostingGateMinimumMacroF1Lift { get; set; } = 0.05;

    /// <summary>How much lower than the active pre-posting version's macro-F1, on the same test rows, a candidate may be (default 0: not below).</summary>
    public double PrePostingGateMaximumRegression { get; set; }

    /// <summary>WES weights w1..w4 for likes, comments, shares, saves (defaults 1, 2, 3, 2).</summary>
    public double WesLikes { get; set; } = 1;
    public double WesComments { get; set; } = 2;
    public double WesShares { get; set; } = 3;
    public double WesSaves { get; set; } = 2;

    /// <summary>Default tier scheme of a run: <c>views</c> (quintiles, seed 002) or <c>wes</c> (p25/50/75/90, seed 000).</summary>
    public string TierScheme { get; set; } = "views";

    /// <summary>Default feature set: <c>seed15</c> or <c>pre-posting</c>.</summary>
    public string FeatureSet { get; set; } = "seed15";

    /// <summary>
    /// Default trainer: <c>auto</c> (compares the others by cross-validated macro-F1 and keeps the best), <c>lbfgs</c>,
    /// <c>lightgbm</c> or <c>forest</c>.
    /// </summary>
    public string Trainer { get; set; } = "auto";

    /// <summary>
    /// How long the <c>auto</c> trainer's search may take; then it keeps the best candidate scored so far. Less than
    /// <see cref="TrainingRunOptions.TimeBudgetSeconds"/>, which must still cover the winner's fit and cross-validation.
    /// </summary>
    public int AutoSearchSeconds { get; set; } = 90;

    /// <summary>Default split: <c>stratified</c>, <c>hash</c> or <c>time</c>.</summary>
    public string Split { get; set; } = "stratified";

    /// <summary>
    /// What a run's rows describe: <c>auto</c> (default: point-in-time where at least <see cref="MinimumMaturedVideos"/>
    /// videos have matured histories, else latest with a warning on the run), <c>point-in-time</c> (features as observed
    /// young, tier of the matured counts) or <c>latest</c> (the seeds' design: both from the latest counts).
    /// </summary>
    public string Rows { get; set; } = "auto";

    /// <summary>Videos with a matured snapshot and an earlier one that <c>auto</c> needs to train point-in-time (default 500).</summary>
    public int MinimumMaturedVideos { get; set; } = 500;

    /// <summary>
    /// Point-in-time rows: 0 (default) takes each video's first snapshot only, what the scoring job sees; above 0, every
    /// snapshot younger than this many hours before maturity is a row of its own (a video's rows stay on one side of the split).
    /// </summary>
    public double ObservationHorizonHours { get; set; }

    /// <summary>Above this many rows, cross-validation uses a stratified sample of this size (see TrainingOptions).</summary>
    public int CrossValidationMaxRows { get; set; } = 200_000;

    /// <summary>A run reads at most this many of the newest trainable videos (seed 004: 10,000).</summary>
    public int MaxVideos { get; set; } = 10_000;

    /// <summary>Below this many trainable videos a run trains on the bundled fallback set (seed 002: 500).</summary>
    public int FallbackMinimumVideos { get; set; } = 500;

    /// <summary>Quartz cron expression of the scheduled retrain, in UTC (default daily 03:00).</summary>
    public string Cron { get; set; } = "0 0 3 * * ?";

    // Parsed from the bound strings (validated at start, so these never throw afterwards): the binder knows enum
    // member names, not the wire names (forest) that configuration and the README use.
    public FeatureSet DefaultFeatureSet => Core.Engagement.FeatureSet.FromName(FeatureSet);
    public TierScheme DefaultTierScheme => Core.Engagement.TierScheme.FromName(TierScheme);
    public TrainerKind DefaultTrainer => WireNames.TryParse<TrainerKind>(Trainer, out var kind) ? kind
        : throw new ArgumentException($"Unknown trainer '{Trainer}'. Known: {string.Join(", ", WireNames.Of<TrainerKind>())}.", nameof(Trainer));
    public SplitKind DefaultSplit => WireNames.TryParse<SplitKind>(Split, out var kind) && TrainingRequest.Splits.Contains(kind) ? kind
        : throw new ArgumentException($"Unknown split '{Split}'. Known: {string.Join(", ", TrainingRequest.Splits.Select(s => s.Wire()))}.", nameof(Split));

    /// <summary>The configured rows mode; null for <c>auto</c>.</summary>
    public TrainingRowsMode? ConfiguredRows => Rows.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : WireNames.TryParse<TrainingRowsMode>(Rows, out var mode) ? mode
        : throw new ArgumentException($"Unknown rows mode '{Rows}'. Known: auto, {string.Join(", ", WireNames.Of<TrainingRowsMode>())}.", nameof(Rows));

    public WesWeights WesWeights => new(WesLikes, WesComments, WesShares, WesSaves);
    public GateOptions Gate => new(GateMinimumAccuracy, GateMaximumRegression);

    /// <summary>The gate of a run on <paramref name="featureSet"/>: the pre-posting one when it has its own, else the accuracy gate.</summary>
    public GateOptions GateFor(FeatureSet featureSet) => featureSet.Name == Core.Engagement.FeatureSet.PrePostingName && PrePostingOwnGate
        ? Gate with { MacroF1 = new MacroF1GateOptions(PrePostingGateMinimumMacroF1Lift, PrePostingGateMaximumRegression) }
        : Gate;

    internal static IEnumerable<string> Validate(EngagementTrainingOptions o)
    {
        if (o.GateMinimumAccuracy is < 0 or > 1) yield return "GateMinimumAccuracy must be within 0..1.";
        if (o.GateMaximumRegression is < 0 or > 1) yield return "GateMaximumRegression must be within 0..1.";
        if (o.PrePostingGateMinimumMacroF1Lift is < 0 or > 1) yield return "PrePostingGateMinimumMacroF1Lift must be within 0..1.";
        if (o.PrePostingGateMaximumRegression is < 0 or > 1) yield return "PrePostingGateMaximumRegression must be within 0..1.";
        if (new[] { o.WesLikes, o.WesComments, o.WesShares, o.WesSaves }.Any(w => w < 0 || double.IsNaN(w))) yield return "WES weights cannot be negative.";
        if (o.WesLikes + o.WesComments + o.WesShares + o.WesSaves <= 0) yield return "At least one WES weight must be positive.";
        foreach (var error in Unparsable(
            (nameof(TierScheme), () => Core.Engagement.TierScheme.FromName(o.TierScheme)),
            (nameof(FeatureSet), () => Core.Engagement.FeatureSet.FromName(o.FeatureSet)),
            (nameof(Trainer), () => _ = o.DefaultTrainer),
            (nameof(Split), () => _ = o.DefaultSplit),
            (nameof(Rows), () => _ = o.ConfiguredRows)))
            yield return error;
        if (o.AutoSearchSeconds < 1 || o.AutoSearchSeconds >= o.TimeBudgetSeconds)
            yield return $"AutoSearchSeconds must be at least 1 and below TimeBudgetSeconds ({o.TimeBudgetSeconds}).";
        if (o.MaxVideos < 10) yield return "MaxVideos must be at least 10.";
        if (o.MinimumMaturedVideos < 0) yield return "MinimumMaturedVideos cannot be negative.";
        if (o.ObservationHorizonHours < 0 || double.IsNaN(o.ObservationHorizonHours)) yield return "ObservationHorizonHours cannot be negative (0: first snapshot only).";
        if (o.CrossValidationMaxRows < 0) yield return "CrossValidationMaxRows cannot be negative (0: no limit).";
        if (o.FallbackMinimumVideos < 0) yield return "FallbackMinimumVideos cannot be negative.";
        if (!Quartz.CronExpression.TryParse(o.Cron, out _)) yield return $"Cron '{o.Cron}' is not a valid Quartz cron expression.";
        foreach (var error in o.ValidateRunSettings())
            yield return error;
    }
}
