namespace ViralityDashboard.Data.Entities;

/// <summary>
/// The correlation picture of one preference run (seed 003 §8's feature_importance_snapshot): stored by every
/// run that reached the correlation milestone, so the pages can show how the owner's taste evolved.
/// </summary>
public sealed class ImportanceSnapshot
{
    public long Id { get; set; }
    /// <summary>The milestone the run reached: correlation, firstModel, retrain or modelComparison.</summary>
    public string Milestone { get; set; } = "";
    public int RowCount { get; set; }
    /// <summary>Core's FeatureImportanceSnapshot as JSON: top 20 positive and negative, expected-correlation checks, level counts.</summary>
    public string Correlations { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
    public long? TrainingRunId { get; set; }
}
