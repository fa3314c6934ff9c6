namespace ViralityDashboard.Data.Entities;

public sealed class AnalyzedVideo
{
    public long Id { get; set; }
    public long VideoId { get; set; }
    public ScrapedVideo? Video { get; set; }
    public string AnalysisVersion { get; set; } = "v3";
    /// <summary>The nested analysis of seed 003, stored as jsonb.</summary>
    public string VisualAnalysis { get; set; } = "{}";
    public int FeatureCount { get; set; }
    public DateTimeOffset AnalyzedAt { get; set; }
}
