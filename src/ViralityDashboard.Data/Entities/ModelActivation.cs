using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Entities;

/// <summary>Audit row: who changed the active version of a kind, from what to what, and why.</summary>
public sealed class ModelActivation
{
    public long Id { get; set; }
    public ModelKind Kind { get; set; }
    public ActivationAction Action { get; set; }
    public long? FromVersionId { get; set; }
    public long? ToVersionId { get; set; }
    public string ChangedBy { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
    public string? Reason { get; set; }
}
