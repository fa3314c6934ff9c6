using System.Text.Json.Serialization;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training;

/// <summary>
/// One run's choices; null fields take the configured defaults. Cross-project contract (CLI, job, pages);
/// serialized into the Quartz job data of a launch-now. The engagement fields (feature set, tiers, trainer,
/// split) do not apply to a preference run, whose settings come from <see cref="PreferenceOptions"/>.
/// </summary>
/// <param name="ModelKind">engagement (null) or preference.</param>
/// <param name="Trigger">What launched it when not the caller (the data-trigger check sets <c>data</c>); null = manual.</param>
/// <param name="TriggerDetails">JSON recorded in <c>training_runs.trigger_details</c>: which trigger fired and its figures.</param>
/// <param name="Rows">latest or point-in-time; null: <c>Virality:Training:Rows</c>, which by default picks point-in-time when enough videos have matured histories.</param>
public sealed record TrainingRequest(
    FeatureSet? FeatureSet = null,
    TierScheme? TierScheme = null,
    TrainerKind? Trainer = null,
    SplitKind? Split = null,
    Guid? RequestId = null,
    string? RequestedBy = null,
    ModelKind? ModelKind = null,
    RunTrigger? Trigger = null,
    string? TriggerDetails = null,
    TrainingRowsMode? Rows = null)
{
    public const ModelKind Kind = Core.Ml.ModelKind.Engagement;

    public bool IsPreference => ModelKind == Core.Ml.ModelKind.Preference;

    /// <summary>The splits a run may choose (<see cref="SplitKind.Predefined"/> is the fallback set's own).</summary>
    public static IReadOnlyList<SplitKind> Splits { get; } = [SplitKind.Stratified, SplitKind.Hash, SplitKind.Time];
}

/// <summary>How a run ended. <see cref="Result"/> is null when it failed before training finished.</summary>
public sealed record TrainingOutcome(
    long RunId,
    RunStatus Status,
    RunTrigger Trigger,
    string? VersionTag,
    bool Activated,
    bool UsedFallbackData,
    int VideoCount,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Warnings,
    string? Error,
    IReadOnlyList<StepTiming> Timings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrainingResult? Result);
