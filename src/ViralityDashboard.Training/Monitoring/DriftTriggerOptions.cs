namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// The performance-drift retrain trigger (issue 12 §5), section <c>Virality:Monitoring:Drift</c>
/// (environment <c>Virality__Monitoring__Drift__…</c>).
/// </summary>
public sealed class DriftTriggerOptions
{
    public const string Section = "Virality:Monitoring:Drift";

    /// <summary>Whether the web app schedules the check (and the check may launch a retrain).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many of the active version's latest matured predictions (by observed time) its realized accuracy is taken over; fewer never fire.</summary>
    public int Window { get; set; } = 200;

    /// <summary>Realized accuracy this far (or further) below the version's test accuracy at training fires a retrain.</summary>
    public double AccuracyDrop { get; set; } = 0.05;

    /// <summary>After a drift-triggered run starts, no other fires for this long, whatever its outcome.</summary>
    public double CooldownHours { get; set; } = 24;

    /// <summary>Quartz cron of the check, UTC (default hourly at :20). The maturing job may also fire it after a pass.</summary>
    public string Cron { get; set; } = "0 20 * * * ?";

    public static IEnumerable<string> Validate(DriftTriggerOptions o)
    {
        if (o.Window < 1) yield return "Window must be at least 1.";
        if (o.AccuracyDrop is <= 0 or >= 1) yield return "AccuracyDrop must be within 0..1 (exclusive).";
        if (o.CooldownHours < 0) yield return "CooldownHours cannot be negative.";
        if (!Quartz.CronExpression.TryParse(o.Cron, out _)) yield return $"Cron '{o.Cron}' is not a valid Quartz cron expression.";
    }
}
