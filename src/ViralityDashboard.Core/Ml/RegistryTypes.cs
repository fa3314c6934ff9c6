using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

// The closed vocabularies of runs and the model registry. Each member's JSON name is the string the CLI,
// the API and the database columns have always used (see WireNames); EF stores them through value converters.

/// <summary>The kinds of model the registry holds (<c>model_versions.kind</c>, <c>training_runs.kind</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelKind>))]
public enum ModelKind
{
    [JsonStringEnumMemberName("engagement")] Engagement,
    [JsonStringEnumMemberName("preference")] Preference,
}

/// <summary>A stored version's place in the registry (<c>model_versions.status</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("inactive")] Inactive,
    /// <summary>Refused by the gate; it can never be activated.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
}

/// <summary>Where a training run is (<c>training_runs.status</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("skipped_by_gate")] SkippedByGate,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What started a run (<c>training_runs.trigger</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunTrigger>))]
public enum RunTrigger
{
    [JsonStringEnumMemberName("schedule")] Schedule,
    [JsonStringEnumMemberName("manual")] Manual,
    /// <summary>A preference data trigger (new ratings, error or drift) fired.</summary>
    [JsonStringEnumMemberName("data")] Data,
    /// <summary>The active engagement version's realized accuracy fell below its test accuracy (issue 12 §5).</summary>
    [JsonStringEnumMemberName("drift")] Drift,
}

/// <summary>The gate's verdict on a run's candidate (<c>training_runs.gate_decision</c>); see <see cref="GateDecision"/> for its reasons.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateVerdict>))]
public enum GateVerdict
{
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("rejected")] Rejected,
}

/// <summary>How the active version changed (<c>model_activations.action</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ActivationAction>))]
public enum ActivationAction
{
    [JsonStringEnumMemberName("activate")] Activate,
    [JsonStringEnumMemberName("rollback")] Rollback,
    /// <summary>A version put in shadow: the scoring job scores new videos with it beside the active one (to = that version).</summary>
    [JsonStringEnumMemberName("shadow")] Shadow,
    /// <summary>A version taken out of shadow (to = that version).</summary>
    [JsonStringEnumMemberName("unshadow")] Unshadow,
}

/// <summary>Who asked for a logged prediction (<c>prediction_log.source</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PredictionSource>))]
public enum PredictionSource
{
    /// <summary><c>POST /api/predict</c> (and the preference API).</summary>
    [JsonStringEnumMemberName("api")] Api,
    /// <summary>The Predictor page, the Rate page's preference score.</summary>
    [JsonStringEnumMemberName("page")] Page,
    /// <summary>The <c>predict</c> verb.</summary>
    [JsonStringEnumMemberName("cli")] Cli,
    /// <summary>The scoring job: what a version would have said about a video when it was first seen.</summary>
    [JsonStringEnumMemberName("scoring")] Scoring,
}
