namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// How long <c>prediction_log</c> keeps each kind of row, and the job that deletes the rest
/// (<c>Virality:Monitoring:Retention</c>, environment <c>Virality__Monitoring__Retention__…</c>).
/// </summary>
/// <remarks>
/// Realized metrics are counted into <c>realized_metrics</c> when a scoring prediction matures and never recomputed from
/// the log, so a matured scoring row is only read afterwards by the champion-vs-challenger join and the drift window
/// (both over recent outcomes); a scoring row still waiting for its outcome is kept whatever its age.
/// </remarks>
public sealed class PredictionLogRetentionOptions
{
    public const string Section = "Virality:Monitoring:Retention";

    /// <summary>Whether the web app schedules the retention job; off, the log keeps everything.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz cron of the retention job, UTC. Default hourly at :45 (the scoring job runs at :00, maturing at :30).</summary>
    public string Cron { get; set; } = "0 45 * * * ?";

    /// <summary>Days an engagement prediction served to someone (sources <c>api</c>, <c>page</c>, <c>cli</c>) is kept, by <c>served_at</c>.</summary>
    public int ServedDays { get; set; } = 30;

    /// <summary>Days a preference prediction is kept, by <c>served_at</c>.</summary>
    public int PreferenceDays { get; set; } = 90;

    /// <summary>Days a <c>scoring</c> prediction is kept after it matured (<c>matured_at</c>); unmatured ones are always kept.</summary>
    public int MaturedScoringDays { get; set; } = 180;

    /// <summary>Rows deleted per transaction: short enough that inserts and readers never wait long, and no huge transaction.</summary>
    public int BatchSize { get; set; } = 50_000;

    internal static IEnumerable<string> Validate(PredictionLogRetentionOptions o)
    {
        if (o.ServedDays < 1) yield return "ServedDays must be at least 1.";
        if (o.PreferenceDays < 1) yield return "PreferenceDays must be at least 1.";
        if (o.MaturedScoringDays < 1) yield return "MaturedScoringDays must be at least 1.";
        if (o.BatchSize < 1) yield return "BatchSize must be at least 1.";
        if (!Quartz.CronExpression.TryParse(o.Cron, out _)) yield return $"Cron '{o.Cron}' is not a valid Quartz cron expression.";
    }
}
