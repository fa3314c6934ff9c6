using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.IntegrationTests.Data.Embedded;

/// <summary>
/// Finding the server programs on each platform's installer layout (issue 13 §5), over fake directory trees: no real
/// file system is touched, so every platform's layout is tested on any machine.
/// </summary>
public sealed class PostgresBinariesTests
{
    private static readonly string[] ServerPrograms = ["initdb", "pg_ctl", "postgres"];

    /// <summary>A file system of the listed files only, with the platform's separator and environment variables.</summary>
    private sealed class FakeLayout(HostPlatform platform, IEnumerable<string> files, IReadOnlyDictionary<string, string>? variables = null) : IPostgresSearchEnvironment
    {
        private readonly HashSet<string> _files = new(files, platform == HostPlatform.Windows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        private char Separator => platform == HostPlatform.Windows ? '\\' : '/';

        public HostPlatform Platform => platform;
        public string? Variable(string name) => variables?.GetValueOrDefault(name);
        public bool FileExists(string path) => _files.Contains(path);

        public IEnumerable<string> SubdirectoryNames(string path)
        {
            var prefix = path.TrimEnd(Separator) + Separator;
            return _files
                .Where(f => f.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(f => f[prefix.Length..].Split(Separator))
                .Where(rest => rest.Length > 1)
                .Select(rest => rest[0])
                .Distinct();
        }
    }

    private static IEnumerable<string> Install(string bin, string exe = "") => ServerPrograms.Select(p => $"{bin}{(bin.Contains('\\') ? '\\' : '/')}{p}{exe}");

    [Fact]
    public void OnWindowsPicksTheNewestProgramFilesInstallWithExeNames()
    {
        var layout = new FakeLayout(HostPlatform.Windows,
            [.. Install(@"C:\Program Files\PostgreSQL\9.6\bin", ".exe"), .. Install(@"C:\Program Files\PostgreSQL\17\bin", ".exe"), .. Install(@"C:\Program Files\PostgreSQL\15\bin", ".exe")],
            new Dictionary<string, string> { ["ProgramFiles"] = @"C:\Program Files" });

        var found = PostgresBinaries.Find(null, layout);

        Assert.Equal(@"C:\Program Files\PostgreSQL\17\bin", found.Directory);
        Assert.Equal((@"C:\Program Files\PostgreSQL\17\bin\initdb.exe", @"C:\Program Files\PostgreSQL\17\bin\pg_ctl.exe"), (found.InitDb, found.PgCtl));
        Assert.Contains("version 17", found.FoundBy);
    }

    [Fact]
    public void OnWindowsPassesOverAClientOnlyInstallAndNamesWithoutExe()
    {
        var layout = new FakeLayout(HostPlatform.Windows,
        [
            @"C:\Program Files\PostgreSQL\17\bin\psql.exe", @"C:\Program Files\PostgreSQL\17\bin\pg_dump.exe",
            .. Install(@"C:\Program Files\PostgreSQL\16\bin"), // no .exe: not Windows programs
            .. Install(@"C:\Program Files\PostgreSQL\15\bin", ".exe"),
        ]);

        Assert.Equal(@"C:\Program Files\PostgreSQL\15\bin", PostgresBinaries.Find(null, layout).Directory);
    }

    [Fact]
    public void OnMacOsTheNewestOfHomebrewOnBothChipsAndPostgresAppWins()
    {
        List<string> files =
        [
            .. Install("/opt/homebrew/opt/postgresql@14/bin"),
            .. Install("/usr/local/opt/postgresql@16/bin"),
            .. Install("/Applications/Postgres.app/Contents/Versions/15/bin"),
            .. Install("/Applications/Postgres.app/Contents/Versions/latest/bin"), // a link to one of them, not a version
        ];

        Assert.Equal("/usr/local/opt/postgresql@16/bin", PostgresBinaries.Find(null, new FakeLayout(HostPlatform.MacOS, files)).Directory);
        files.AddRange(Install("/Applications/Postgres.app/Contents/Versions/17/bin"));
        var app = PostgresBinaries.Find(null, new FakeLayout(HostPlatform.MacOS, files));
        Assert.Equal(("/Applications/Postgres.app/Contents/Versions/17/bin/pg_ctl", "Postgres.app, version 17"), (app.PgCtl, app.FoundBy));
        files.AddRange(Install("/opt/homebrew/opt/postgresql@18/bin"));
        Assert.Equal("/opt/homebrew/opt/postgresql@18/bin", PostgresBinaries.Find(null, new FakeLayout(HostPlatform.MacOS, files)).Directory);
    }

    [Fact]
    public void OnRhelAndFedoraFindsThePgdgDirectoryBesideAnOlderDebianOne()
    {
        var layout = new FakeLayout(HostPlatform.Linux, [.. Install("/usr/pgsql-16/bin"), .. Install("/usr/lib/postgresql/13/bin"), "/usr/bin/psql"]);

        var found = PostgresBinaries.Find(null, layout);

        Assert.Equal(("/usr/pgsql-16/bin", "/usr/pgsql-16/bin/initdb"), (found.Directory, found.InitDb));
    }

    [Fact]
    public void OnDebianTheNewestVersionWinsNumericallyNotByName()
    {
        var layout = new FakeLayout(HostPlatform.Linux, [.. Install("/usr/lib/postgresql/9.6/bin"), .. Install("/usr/lib/postgresql/15/bin"), .. Install("/usr/lib/postgresql/13/bin")]);

        Assert.Equal("/usr/lib/postgresql/15/bin", PostgresBinaries.Find(null, layout).Directory);
    }

    [Theory]
    [InlineData(HostPlatform.Linux, "/opt/pg/bin", "/usr/bin:/opt/pg/bin")]
    [InlineData(HostPlatform.MacOS, "/opt/homebrew/bin", "/usr/bin:/opt/homebrew/bin")]
    [InlineData(HostPlatform.Windows, @"D:\pgsql\bin", @"C:\Windows;D:\pgsql\bin")]
    public void FallsBackToPathWhenNoInstallerDirectoryHasThem(HostPlatform platform, string bin, string path)
    {
        var layout = new FakeLayout(platform, Install(bin, platform == HostPlatform.Windows ? ".exe" : ""), new Dictionary<string, string> { ["PATH"] = path });

        var found = PostgresBinaries.Find(null, layout);

        Assert.Equal((bin, "PATH"), (found.Directory, found.FoundBy));
    }

    [Fact]
    public void TheSettingOverridesTheSearch()
    {
        var layout = new FakeLayout(HostPlatform.Linux, [.. Install("/usr/lib/postgresql/17/bin"), .. Install("/srv/pg13/bin")]);

        var found = PostgresBinaries.Find("/srv/pg13/bin", layout);

        Assert.Equal(("/srv/pg13/bin", PostgresBinaries.OverrideSetting), (found.Directory, found.FoundBy));
    }

    [Fact]
    public void ASettingThatNamesADirectoryWithoutTheProgramsIsAnErrorNotAFallback()
    {
        var layout = new FakeLayout(HostPlatform.Linux, [.. Install("/usr/lib/postgresql/17/bin"), "/srv/pg/bin/psql"]);

        var error = Assert.Throws<EmbeddedPostgresException>(() => PostgresBinaries.Find("/srv/pg/bin", layout));

        Assert.Contains("Virality:PostgresBinDir is '/srv/pg/bin', but initdb, pg_ctl, postgres are not there", error.Message);
    }

    [Theory]
    [InlineData(HostPlatform.Windows, "winget install PostgreSQL.PostgreSQL.17")]
    [InlineData(HostPlatform.MacOS, "brew install postgresql@17")]
    [InlineData(HostPlatform.Linux, "apt-get install postgresql")]
    public void WhenNothingIsFoundTheErrorSaysHowToInstallOnThisPlatform(HostPlatform platform, string hint)
    {
        var error = Assert.Throws<EmbeddedPostgresException>(() => PostgresBinaries.Find(null, new FakeLayout(platform, [])));

        Assert.Contains(hint, error.Message);
        Assert.Contains("Virality__PostgresBinDir", error.Message);
    }
}
