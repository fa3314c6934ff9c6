using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ViralityDashboard.Data.Embedded;

/// <summary>
/// Watches the embedded cluster while the app runs. When its postmaster is gone (killed, crashed, stopped by hand) it
/// starts it again on the same port, where PostgreSQL runs its own crash recovery, or rejoins it when another process
/// on the same data directory was quicker; then clears the connection pool, whose connections all died with the old
/// server. Runs only in a started host (the web app); CLI verbs are too short-lived to need it.
/// </summary>
internal sealed class EmbeddedPostgresSupervisor(EmbeddedPostgres server, NpgsqlDataSource dataSource, ILogger<EmbeddedPostgresSupervisor> logger)
    : BackgroundService
{
    // A check reads postmaster.pid and /proc: microseconds, so every second, which keeps recovery well inside 30 s.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AfterFailedRestart = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var knownPid = server.PostmasterPid();
        using var timer = new PeriodicTimer(CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var running = server.IsPostmasterRunning();
            if (running && server.PostmasterPid() == knownPid)
                continue;
            // Running under a new pid: another process restarted it, and our lease and pooled connections are dead.
            if (!running)
                logger.LogWarning("PostgreSQL in {Dir} is gone (postmaster {Pid} is not running); restarting it on port {Port}", server.ClusterDirectory, knownPid, server.Port);
            var clock = Stopwatch.StartNew();
            try
            {
                var startedHere = await server.EnsureRunningAsync(stoppingToken);
                dataSource.Clear();
                knownPid = server.PostmasterPid();
                if (startedHere)
                    logger.LogWarning("Restarted PostgreSQL in {Dir} on port {Port} in {Seconds:0.0} s (postmaster {Pid})", server.ClusterDirectory, server.Port, clock.Elapsed.TotalSeconds, knownPid);
                else
                    logger.LogWarning("PostgreSQL in {Dir} was restarted by another process (postmaster {Pid}); rejoined it", server.ClusterDirectory, knownPid);
            }
            catch (Exception e) when (e is EmbeddedPostgresException or NpgsqlException or IOException)
            {
                logger.LogError(e, "Could not restart PostgreSQL in {Dir}; trying again in {Seconds} s", server.ClusterDirectory, AfterFailedRestart.TotalSeconds);
                await Task.Delay(AfterFailedRestart, stoppingToken);
            }
        }
    }
}
