namespace ViralityDashboard.Data.Migrations;

/// <summary>
/// The Quartz.NET 4.7.3 PostgreSQL job store schema (prefix <c>qrtz_</c>), embedded from
/// <c>Migrations/Sql/quartz_4.7.3_postgres.sql</c>. A later Quartz that adds columns needs a new
/// migration with its own script; Quartz validates the schema at start and names what is missing.
/// </summary>
internal static class QuartzSchema
{
    public const string TablePrefix = "qrtz_";

    public static IReadOnlyList<string> Tables { get; } =
    [
        "qrtz_job_status", "qrtz_misfire_history", "qrtz_execution_history", "qrtz_locks", "qrtz_scheduler_state",
        "qrtz_fired_triggers", "qrtz_paused_job_grps", "qrtz_paused_trigger_grps", "qrtz_calendars", "qrtz_blob_triggers",
        "qrtz_simprop_triggers", "qrtz_cron_triggers", "qrtz_simple_triggers", "qrtz_triggers", "qrtz_job_details",
    ];

    public static IEnumerable<string> Statements()
    {
        using var stream = typeof(QuartzSchema).Assembly.GetManifestResourceStream("ViralityDashboard.Data.Migrations.Sql.quartz_4.7.3_postgres.sql")
            ?? throw new InvalidOperationException("The Quartz schema script is not embedded.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd();
        return script.Split("\n--;;", StringSplitOptions.TrimEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0)
            .ToArray();
    }
}
