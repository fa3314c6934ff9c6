using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Entities;

/// <summary>
/// One served prediction, so a model's live error can be measured once the owner rates the same videos:
/// the inputs hash joins a prediction to the analysis it was made for.
/// </summary>
public sealed class PredictionLogEntry
{
    public long Id { get; set; }
    public long? ModelVersionId { get; set; }
    public ModelKind Kind { get; set; }
    /// <summary>Lower-case hex SHA-256 of the canonical flattened input (key order and JSON whitespace do not matter).</summary>
    public string InputsHash { get; set; } = "";
    /// <summary>The served score on its kind's scale (0–10 for preference).</summary>
    public double Score { get; set; }
    public DateTimeOffset ServedAt { get; set; }
}
