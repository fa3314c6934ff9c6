namespace ViralityDashboard.Training.Monitoring;

/// <summary>The monitoring loop's write path: when outcomes mature and when the scoring and maturing jobs run (<c>Virality:Monitoring</c>).</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Virality:Monitoring";

    /// <summary>Days after posting (scraped_videos.created_at, else its first snapshot) before a video's tier counts as its outcome.</summary>
    public int MatureAfterDays { get; set; } = 7;

    /// <summary>Quartz cron of the scoring job (and the maturing pass after it), UTC; besides the run after each import. Default hourly.</summary>
    public string ScoringCron { get; set; } = "0 0 * * * ?";

    /// <summary>Quartz cron of the maturing job alone, UTC: videos mature with time, not only when something is imported. Default hourly, at half past.</summary>
    public string MaturingCron { get; set; } = "0 30 * * * ?";

    /// <summary>Whether the web app schedules the two jobs on their crons (imports trigger scoring either way).</summary>
    public bool SchedulesEnabled { get; set; } = true;

    /// <summary>
    /// Videos read, scored and written per batch of a scoring pass. Small enough that the batches in flight (up to
    /// five) die young: at 20,000 they held 120 MiB across collections, and a pass over a million videos paused the
    /// app for 100–230 ms at a time while it served requests; 2,000 scores as fast (4.0–4.8 s against 4.2–5.5 s for
    /// 100,000 videos in bench-monitor).
    /// </summary>
    public int ScoringBatchSize { get; set; } = 2_000;

    /// <summary>Due predictions matured per transaction of a maturing pass (a pass runs as many as it needs).</summary>
    public int MaturingBatchSize { get; set; } = 50_000;

    internal static IEnumerable<string> Validate(MonitoringOptions o)
    {
        if (o.MaturingBatchSize < 1) yield return "MaturingBatchSize must be at least 1.";
        if (o.MatureAfterDays < 0) yield return "MatureAfterDays cannot be negative.";
        if (!Quartz.CronExpression.TryParse(o.ScoringCron, out _)) yield return $"ScoringCron '{o.ScoringCron}' is not a valid Quartz cron expression.";
        if (!Quartz.CronExpression.TryParse(o.MaturingCron, out _)) yield return $"MaturingCron '{o.MaturingCron}' is not a valid Quartz cron expression.";
        if (o.ScoringBatchSize < 1) yield return "ScoringBatchSize must be at least 1.";
    }
}
