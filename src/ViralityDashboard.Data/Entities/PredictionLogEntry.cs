using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Entities;

/// <summary>
/// One served or scored prediction. Preference entries are joined to the owner's later rating by the inputs hash;
/// engagement entries of a known video (<see cref="VideoId"/>) get their <see cref="OutcomeTier"/> once the video has
/// matured, which is what realized performance (<see cref="RealizedWeek"/>) counts.
/// </summary>
public sealed class PredictionLogEntry
{
    public long Id { get; set; }
    public long? ModelVersionId { get; set; }
    public ModelKind Kind { get; set; }
    public PredictionSource Source { get; set; }
    /// <summary>The engagement feature set the version reads (seed15, pre-posting…); null for preference entries.</summary>
    public string? FeatureSet { get; set; }
    /// <summary>Lower-case hex SHA-256 of the canonical flattened input (key order and JSON whitespace do not matter).</summary>
    public string InputsHash { get; set; } = "";
    /// <summary>Feature name → value as the model saw them (jsonb); null for preference entries.</summary>
    public string? Features { get; set; }
    /// <summary>Tier probabilities, tier 1 first (engagement).</summary>
    public float[]? Probabilities { get; set; }
    /// <summary>1–5 (engagement).</summary>
    public short? PredictedTier { get; set; }
    /// <summary>The served score on its kind's scale (0–100 engagement, 0–10 preference).</summary>
    public double Score { get; set; }
    public DateTimeOffset ServedAt { get; set; }
    /// <summary>The scraped video the inputs came from, when known (always for the scoring job); only these mature.</summary>
    public long? VideoId { get; set; }
    /// <summary>
    /// When the inputs were observed: the first snapshot's scrape time for the scoring job, the serving time otherwise.
    /// Realized performance is bucketed by the week of this time.
    /// </summary>
    public DateTimeOffset ObservedAt { get; set; }
    /// <summary>
    /// A scoring prediction of a video first seen before the version came into play (activated or put in shadow): the
    /// scoring job catching up on videos that were there already, a backtest rather than live monitoring. Realized
    /// metrics keep such weeks apart, and the drift trigger reads only live predictions (issue 24 §2).
    /// </summary>
    public bool Backfill { get; set; }
    /// <summary>The video's true tier by the predicting version's own thresholds, set once it matured.</summary>
    public short? OutcomeTier { get; set; }
    public DateTimeOffset? MaturedAt { get; set; }
    /// <summary>
    /// When the counts <see cref="OutcomeTier"/> was judged on were scraped (the video's latest snapshot then). Realized
    /// performance counts a prediction only when this is later than <see cref="ObservedAt"/>: a video first seen already
    /// mature and never scraped again was judged on its own inputs. Null for outcomes set before it was recorded.
    /// </summary>
    public DateTimeOffset? OutcomeAt { get; set; }
}
