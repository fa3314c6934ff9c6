using System.Text.Json.Serialization;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training;

/// <summary>What started a run, as stored in <c>training_runs.trigger</c>.</summary>
public static class TrainingTriggers
{
    public const string Schedule = "schedule", Manual = "manual", Data = "data";
}

/// <summary>Run statuses stored in <c>training_runs.status</c>.</summary>
public static class TrainingStatuses
{
    public const string Running = "running", Completed = "completed", SkippedByGate = "skipped_by_gate", Failed = "failed";
}

/// <summary>The kinds of model the registry holds (<c>model_versions.kind</c>, <c>training_runs.kind</c>).</summary>
public static class ModelKinds
{
    public const string Engagement = "engagement", Preference = "preference";

    public static readonly IReadOnlyList<string> All = [Engagement, Preference];
}

/// <summary>
/// One run's choices; null fields take the configured defaults. Cross-project contract (CLI, job, pages);
/// serialized into the Quartz job data of a launch-now. The engagement fields (feature set, tiers, trainer,
/// split) do not apply to a preference run, whose settings come from <see cref="PreferenceOptions"/>.
/// </summary>
/// <param name="ModelKind">engagement (null) or preference.</param>
/// <param name="Trigger">What launched it when not the caller (the data-trigger check sets <c>data</c>); null = manual.</param>
/// <param name="TriggerDetails">JSON recorded in <c>training_runs.trigger_details</c>: which trigger fired and its figures.</param>
public sealed record TrainingRequest(
    string? FeatureSet = null,
    string? TierScheme = null,
    string? Trainer = null,
    string? Split = null,
    Guid? RequestId = null,
    string? RequestedBy = null,
    string? ModelKind = null,
    string? Trigger = null,
    string? TriggerDetails = null)
{
    public const string Kind = ModelKinds.Engagement;

    public bool IsPreference => string.Equals(ModelKind, ModelKinds.Preference, StringComparison.OrdinalIgnoreCase);

    public static SplitKind ParseSplit(string name) => name.ToLowerInvariant() switch
    {
        "stratified" => SplitKind.Stratified,
        "hash" => SplitKind.Hash,
        "time" => SplitKind.Time,
        _ => throw new ArgumentException($"Unknown split '{name}'. Known: stratified, hash, time.", nameof(name)),
    };
}

/// <summary>How a run ended. <see cref="Result"/> is null when it failed before training finished.</summary>
public sealed record TrainingOutcome(
    long RunId,
    string Status,
    string Trigger,
    string? VersionTag,
    bool Activated,
    bool UsedFallbackData,
    int VideoCount,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Warnings,
    string? Error,
    IReadOnlyList<StepTiming> Timings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrainingResult? Result);
