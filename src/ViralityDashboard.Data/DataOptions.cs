namespace ViralityDashboard.Data;

/// <summary>Settings under the <c>Virality</c> section (environment: <c>Virality__DataDir</c> …).</summary>
public sealed class DataOptions
{
    public const string Section = "Virality";

    /// <summary>Where the embedded PostgreSQL cluster lives when no connection string is given.</summary>
    public string? DataDir { get; set; }

    /// <summary>The directory of the PostgreSQL server programs (initdb, pg_ctl, postgres); unset to search for them.</summary>
    public string? PostgresBinDir { get; set; }

    /// <summary>Fill an empty embedded database with demo data on the first start.</summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>Apply EF Core migrations at startup (turn off when a DBA applies them).</summary>
    public bool ApplyMigrations { get; set; } = true;
}
