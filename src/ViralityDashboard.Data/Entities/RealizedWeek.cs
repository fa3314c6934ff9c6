namespace ViralityDashboard.Data.Entities;

/// <summary>
/// A version's realized performance over one week (<c>realized_metrics</c>): its logged predictions observed that week
/// whose videos have matured. The maturing job adds newly matured predictions to <see cref="Confusion"/> and derives
/// the figures from it; nothing is recomputed from the log.
/// </summary>
public sealed class RealizedWeek
{
    public long ModelVersionId { get; set; }
    /// <summary>Monday (UTC) of the week of the predictions' <see cref="PredictionLogEntry.ObservedAt"/>.</summary>
    public DateOnly Week { get; set; }
    /// <summary>Backfilled predictions' week (<see cref="PredictionLogEntry.Backfill"/>): a backtest, kept apart from the live week.</summary>
    public bool Backfill { get; set; }
    public int Matured { get; set; }
    public double Accuracy { get; set; }
    public double MacroF1 { get; set; }
    public double Kappa { get; set; }
    public double WithinOne { get; set; }
    /// <summary>Counts, row-major: index (actual − 1) × 5 + (predicted − 1); 25 entries.</summary>
    public int[] Confusion { get; set; } = new int[25];
    /// <summary>
    /// Predictions of the week given their outcome but not counted above: no snapshot of their video was taken after the
    /// one they were made from (first seen already mature, or never scraped again), so they say nothing about forecasting.
    /// </summary>
    public int NoLaterSnapshot { get; set; }
    /// <summary>
    /// Predictions of the week given their outcome but not counted above because their video was first seen by the
    /// version's <see cref="ModelVersion.TrainedThrough"/>: it may have been fitted on their outcome (in-sample).
    /// </summary>
    public int InTraining { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
