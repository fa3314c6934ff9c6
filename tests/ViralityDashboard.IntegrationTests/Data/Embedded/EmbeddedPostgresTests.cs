using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.IntegrationTests.Data.Embedded;

/// <summary>Clusters of their own, apart from the shared test cluster.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"virality-embedded-{Guid.NewGuid():N}");

    [Fact]
    public async Task ASecondProcessOnTheSameDataDirectoryJoinsTheRunningClusterAndTheLastOneStopsIt()
    {
        var first = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        var second = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        var pidFile = Path.Combine(first.ClusterDirectory, "postmaster.pid");

        Assert.True(first.StartedHere);
        Assert.False(second.StartedHere);
        Assert.Equal(first.Port, second.Port);

        await first.DisposeAsync();
        Assert.True(File.Exists(pidFile), "the cluster keeps running while the second user holds it");
        Assert.Equal(1, await ScalarAsync(second.ConnectionString, "SELECT 1"));

        await second.DisposeAsync();
        Assert.False(File.Exists(pidFile), "the last user stopped the cluster");
    }

    [Fact]
    public async Task RestartingReusesTheClusterAndItsData()
    {
        var first = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        await ScalarAsync(first.ConnectionString, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7); SELECT 0");
        await first.DisposeAsync();

        var again = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        try
        {
            Assert.True(again.StartedHere);
            Assert.Equal(7, await ScalarAsync(again.ConnectionString, "SELECT n FROM kept"));
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    [Fact]
    [Trait("Category", "Chaos")]
    public async Task AKilledServerStartsAgainOnTheSamePortPastAPidFileWhosePidALiveProcessNowHas()
    {
        var server = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        try
        {
            await ScalarAsync(server.ConnectionString, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7); SELECT 0");
            var pidFile = Path.Combine(server.ClusterDirectory, "postmaster.pid");
            using (var postmaster = System.Diagnostics.Process.GetProcessById(server.PostmasterPid()!.Value))
            {
                postmaster.Kill(); // kill -9: no shutdown, the pid file stays
                await postmaster.WaitForExitAsync();
            }
            // The dead postmaster's pid now belongs to someone else (this test process stands in for it).
            var lines = await File.ReadAllLinesAsync(pidFile);
            lines[0] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await File.WriteAllLinesAsync(pidFile, lines);
            Assert.False(server.IsPostmasterRunning());

            Assert.True(await server.EnsureRunningAsync(CancellationToken.None));

            Assert.True(server.IsPostmasterRunning());
            NpgsqlConnection.ClearAllPools();
            Assert.Equal(7, await ScalarAsync(server.ConnectionString, "SELECT n FROM kept"));
            Assert.False(await server.EnsureRunningAsync(CancellationToken.None), "a running server is joined, not started twice");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThePostmasterRunsInThisProcessSessionButInAProcessGroupOfItsOwn()
    {
        var server = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        try
        {
            // In its own session Linux would schedule the database as a group apart from the app (autogroups); in the
            // app's process group a Ctrl-C in the app's terminal would stop it under the app's shutdown.
            var postmaster = SessionAndGroup(server.PostmasterPid()!.Value);
            var self = SessionAndGroup(Environment.ProcessId);
            Assert.Equal(self.Session, postmaster.Session);
            Assert.NotEqual(self.Group, postmaster.Group);
            Assert.Equal(1, await ScalarAsync(server.ConnectionString, "SELECT 1"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>/proc/pid/stat: "pid (comm) state ppid pgrp session …".</summary>
    private static (int Group, int Session) SessionAndGroup(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheAppRoleOwnsItsDatabaseButIsNotASuperuser()
    {
        var server = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        try
        {
            await using var conn = new NpgsqlConnection(server.ConnectionString);
            await conn.OpenAsync();
            Assert.False(await QueryAsync<bool>(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
            Assert.True(await QueryAsync<bool>(conn, "SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()"));
            // The test fixture and the bench verbs make scratch databases.
            Assert.True(await QueryAsync<bool>(conn, "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheInitdbPasswordFileIsReadableByItsOwnerOnly()
    {
        Directory.CreateDirectory(_dataDir);
        UnixFileMode? mode = null;
        using var watcher = new FileSystemWatcher(_dataDir, ".initdb-password") { EnableRaisingEvents = true };
        watcher.Created += (_, e) => mode ??= OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(e.FullPath);

        var server = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        await server.DisposeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Assert.NotNull(mode));
        Assert.False(File.Exists(Path.Combine(_dataDir, ".initdb-password")), "the file is gone once initdb has run");
    }

    [Fact]
    public async Task ADataDirectoryWhoseCredentialsPredateTheAppRoleStillStarts()
    {
        var first = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        await ScalarAsync(first.ConnectionString, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7); SELECT 0");
        var user = new NpgsqlConnectionStringBuilder(first.ConnectionString);
        await first.DisposeAsync();
        // Before the app role, credentials.json held only the one (superuser) login the app connected with.
        var credentials = Path.Combine(_dataDir, "credentials.json");
        File.Delete(credentials);
        await File.WriteAllTextAsync(credentials, $$"""{"User":"{{user.Username}}","Password":"{{user.Password}}"}""");

        var again = await EmbeddedPostgres.StartAsync(_dataDir, NullLogger.Instance);
        try
        {
            Assert.Equal(7, await ScalarAsync(again.ConnectionString, "SELECT n FROM kept"));
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    private static async Task<T> QueryAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // leftovers in /tmp are harmless
        }
    }
}
