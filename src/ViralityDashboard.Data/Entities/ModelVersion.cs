using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Entities;

/// <summary>A trained model kept in the registry: accepted, rejected by the gate, or retired.</summary>
public sealed class ModelVersion
{
    public long Id { get; set; }
    public string VersionTag { get; set; } = "";
    public ModelKind Kind { get; set; }
    public VersionStatus Status { get; set; }
    /// <summary>At most one version per kind and feature set is active (partial unique index).</summary>
    public bool IsActive { get; set; }
    /// <summary>
    /// A challenger in shadow: an engagement version that passed the gate but is not active, which the scoring job
    /// scores new videos with beside the active one, so the two can be compared on the same matured videos.
    /// </summary>
    public bool IsShadow { get; set; }
    public DateTimeOffset TrainedAt { get; set; }
    /// <summary>
    /// Engagement: when the newest video it was fitted on was first seen (for latest-count rows, when its data was read).
    /// Realized accuracy leaves out videos first seen by then: the model has seen their outcome. Null for versions stored
    /// before it was recorded and for the bundled set (none of the creator's videos).
    /// </summary>
    public DateTimeOffset? TrainedThrough { get; set; }
    public int TrainingVideoCount { get; set; }
    /// <summary>
    /// The feature set's name (seed15, pre-posting; analysis-v3 for preference), the tier scheme's (engagement only) and
    /// the trainer's wire name: strings because one column holds each kind's own vocabulary (TrainerKind and
    /// PreferenceModelKind both have a forest).
    /// </summary>
    public string FeatureSet { get; set; } = "";
    public string? TierScheme { get; set; }
    public string Trainer { get; set; } = "";
    public string Thresholds { get; set; } = "{}";
    public string FeatureWeights { get; set; } = "{}";
    public string Metrics { get; set; } = "{}";
    public string NormalizationConfig { get; set; } = "{}";
    public byte[] Artifact { get; set; } = [];
    public string? Notes { get; set; }
    public long? TrainingRunId { get; set; }
}
