namespace ViralityDashboard.Data.Embedded;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl, postgres) on this machine.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>PATH first (a user's own choice wins), then Debian's /usr/lib/postgresql/&lt;version&gt;/bin, newest first.</summary>
    public static PostgresBinaries Find()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(DebianBinDirectories());
        foreach (var dir in candidates)
        {
            if (Required.All(name => File.Exists(Path.Combine(dir, name))))
                return new PostgresBinaries(dir);
        }
        throw new EmbeddedPostgresException(
            "No PostgreSQL server programs (initdb, pg_ctl, postgres) were found on PATH or under /usr/lib/postgresql/<version>/bin. "
            + "Install them (Debian/Ubuntu: apt-get install postgresql), or point the app at a server you run "
            + "with the ConnectionStrings__Virality setting.");
    }

    private static IEnumerable<string> DebianBinDirectories()
    {
        const string root = "/usr/lib/postgresql";
        if (!System.IO.Directory.Exists(root))
            return [];
        return System.IO.Directory.GetDirectories(root)
            .Select(d => (dir: d, version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"));
    }
}

/// <summary>The embedded cluster could not be found, created or started; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
