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
