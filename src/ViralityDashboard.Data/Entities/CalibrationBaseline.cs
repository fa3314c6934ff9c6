namespace ViralityDashboard.Data.Entities;

/// <summary>A snapshot of the view and WES distributions that tier thresholds are drawn from.</summary>
public sealed class CalibrationBaseline
{
    public long Id { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
    public int VideoCount { get; set; }
    /// <summary>Percentile name (p20, p25, …) → views, as jsonb.</summary>
    public string ViewPercentiles { get; set; } = "{}";
    /// <summary>Percentile name → weighted engagement score, as jsonb.</summary>
    public string WesPercentiles { get; set; } = "{}";
    /// <summary>The WES weights in force when it was computed, as jsonb.</summary>
    public string WesWeights { get; set; } = "{}";
}
