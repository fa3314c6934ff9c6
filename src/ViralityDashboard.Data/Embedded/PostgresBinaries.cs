namespace ViralityDashboard.Data.Embedded;

/// <summary>The PostgreSQL server programs (initdb, pg_ctl, postgres) the embedded cluster runs, and how they were found.</summary>
/// <param name="FoundBy">Where the choice came from: <c>Virality:PostgresBinDir</c>, an installer's directory, or <c>PATH</c>.</param>
public sealed record PostgresBinaries(string Directory, string InitDb, string PgCtl, string Postgres, string FoundBy)
{
    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    /// <summary>The setting (environment: <c>Virality__PostgresBinDir</c>) that names the directory and skips the search.</summary>
    public const string OverrideSetting = "Virality:PostgresBinDir";

    /// <summary>On this machine: <paramref name="overrideDirectory"/> if given, else the search below.</summary>
    public static PostgresBinaries Find(string? overrideDirectory = null) => Find(overrideDirectory, SystemSearchEnvironment.Instance);

    /// <summary>
    /// <paramref name="overrideDirectory"/> when given (and it must hold the programs: a wrong setting is an error, not
    /// a reason to pick something else). Otherwise where each platform's installers put them, newest version first,
    /// then <c>PATH</c>:
    /// Windows <c>C:\Program Files\PostgreSQL\&lt;v&gt;\bin</c> (names end in <c>.exe</c>);
    /// macOS Homebrew's <c>/opt/homebrew/opt/postgresql@&lt;v&gt;/bin</c> and <c>/usr/local/opt/postgresql@&lt;v&gt;/bin</c>,
    /// and Postgres.app's <c>/Applications/Postgres.app/Contents/Versions/&lt;v&gt;/bin</c>;
    /// Linux Debian's <c>/usr/lib/postgresql/&lt;v&gt;/bin</c> and RHEL/Fedora's <c>/usr/pgsql-&lt;v&gt;/bin</c>.
    /// Installers first: Debian and RHEL put no initdb on PATH, and Homebrew's PATH links point at one version
    /// that may be older than another installed beside it.
    /// </summary>
    public static PostgresBinaries Find(string? overrideDirectory, IPostgresSearchEnvironment environment)
    {
        var layout = new Layout(environment);
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            var dir = overrideDirectory.Trim();
            return layout.At(dir, OverrideSetting) ?? throw new EmbeddedPostgresException(
                $"{OverrideSetting} is '{dir}', but {string.Join(", ", layout.Missing(dir))} {(layout.Missing(dir).Count == 1 ? "is" : "are")} not there. "
                + "Point it at the bin directory of a PostgreSQL installation (the one holding initdb and pg_ctl), or unset it to search.");
        }
        var looked = new List<string>();
        foreach (var (dir, how) in layout.Candidates())
        {
            looked.Add(dir);
            if (layout.At(dir, how) is { } found)
                return found;
        }
        throw new EmbeddedPostgresException(
            $"No PostgreSQL server programs (initdb, pg_ctl, postgres) were found ({(looked.Count == 0 ? "no installation directories exist and PATH is empty" : "looked in " + string.Join(", ", looked.Take(12)))}). "
            + $"Install them ({InstallHint(environment.Platform)}), set {OverrideSetting} (environment: Virality__PostgresBinDir) to their directory, "
            + "or point the app at a server you run with the ConnectionStrings__Virality setting.");
    }

    /// <summary>One line per platform, as in the README.</summary>
    public static string InstallHint(HostPlatform platform) => platform switch
    {
        HostPlatform.Windows => "Windows: the EDB installer from postgresql.org/download/windows, or winget install PostgreSQL.PostgreSQL.17",
        HostPlatform.MacOS => "macOS: brew install postgresql@17, or Postgres.app from postgresapp.com",
        _ => "Debian/Ubuntu: apt-get install postgresql; RHEL/Fedora: dnf install postgresql-server",
    };

    private sealed class Layout(IPostgresSearchEnvironment env)
    {
        private readonly bool _windows = env.Platform == HostPlatform.Windows;

        private string Exe => _windows ? ".exe" : "";

        private string Join(string dir, string name) => dir.TrimEnd('/', '\\') + (_windows ? '\\' : '/') + name;

        public IReadOnlyList<string> Missing(string dir) => [.. Required.Select(n => n + Exe).Where(n => !env.FileExists(Join(dir, n)))];

        public PostgresBinaries? At(string dir, string how) =>
            Missing(dir).Count > 0 ? null : new PostgresBinaries(dir, Join(dir, "initdb" + Exe), Join(dir, "pg_ctl" + Exe), Join(dir, "postgres" + Exe), how);

        /// <summary>Installer directories, newest version first (ties in the order listed), then PATH.</summary>
        public IEnumerable<(string Dir, string How)> Candidates()
        {
            var installed = env.Platform switch
            {
                HostPlatform.Windows => ProgramFiles().SelectMany(root => Versioned(Join(root, "PostgreSQL"), "", "EDB installer")),
                HostPlatform.MacOS => Versioned("/opt/homebrew/opt", "postgresql@", "Homebrew")
                    .Concat(Versioned("/usr/local/opt", "postgresql@", "Homebrew"))
                    .Concat(Versioned("/Applications/Postgres.app/Contents/Versions", "", "Postgres.app")),
                _ => Versioned("/usr/lib/postgresql", "", "Debian")
                    .Concat(Versioned("/usr", "pgsql-", "PGDG (RHEL/Fedora)")),
            };
            foreach (var (_, dir, how) in installed.OrderByDescending(c => c.Version))
                yield return (dir, how);
            foreach (var dir in (env.Variable("PATH") ?? "").Split(_windows ? ';' : ':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                yield return (dir, "PATH");
        }

        private IEnumerable<string> ProgramFiles() =>
            new[] { env.Variable("ProgramFiles"), @"C:\Program Files" }.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase);

        /// <summary><c>root/&lt;prefix&gt;&lt;version&gt;/bin</c> for every directory whose name is the prefix and a version.</summary>
        private IEnumerable<(Version Version, string Dir, string How)> Versioned(string root, string prefix, string installer)
        {
            foreach (var name in env.SubdirectoryNames(root))
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal) && ParseVersion(name[prefix.Length..]) is { } version)
                    yield return (version, Join(Join(root, name), "bin"), $"{installer}, version {name[prefix.Length..]}");
            }
        }

        /// <summary>"17", "9.6" or "16.4"; anything else ("latest", "current") is not a version.</summary>
        private static Version? ParseVersion(string text) =>
            int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) ? new Version(major, 0)
            : Version.TryParse(text, out var v) ? v : null;
    }
}

public enum HostPlatform { Linux, MacOS, Windows }

/// <summary>What the discovery of <see cref="PostgresBinaries"/> looks at; tests give it a fake directory layout.</summary>
public interface IPostgresSearchEnvironment
{
    HostPlatform Platform { get; }
    string? Variable(string name);
    bool FileExists(string path);
    /// <summary>The names of the directories directly under <paramref name="path"/>; none when it does not exist.</summary>
    IEnumerable<string> SubdirectoryNames(string path);
}

/// <summary>This machine.</summary>
internal sealed class SystemSearchEnvironment : IPostgresSearchEnvironment
{
    public static readonly SystemSearchEnvironment Instance = new();

    public HostPlatform Platform { get; } =
        OperatingSystem.IsWindows() ? HostPlatform.Windows : OperatingSystem.IsMacOS() ? HostPlatform.MacOS : HostPlatform.Linux;

    public string? Variable(string name) => Environment.GetEnvironmentVariable(name);

    public bool FileExists(string path) => File.Exists(path);

    public IEnumerable<string> SubdirectoryNames(string path)
    {
        try
        {
            return System.IO.Directory.Exists(path) ? System.IO.Directory.GetDirectories(path).Select(Path.GetFileName).OfType<string>().ToArray() : [];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return []; // a directory we may not list holds nothing we could run
        }
    }
}

/// <summary>The embedded cluster could not be found, created or started; the message says what to do.</summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
