using System.Diagnostics;
using System.Globalization;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>The PostgreSQL server process of a cluster directory, found as operators find it: line 1 of postmaster.pid.</summary>
public static class Postmaster
{
    public static int Pid(string clusterDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(clusterDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>kill -9: no shutdown, the pid file stays behind, PostgreSQL must run crash recovery on the next start.</summary>
    public static int Kill(string clusterDirectory)
    {
        var pid = Pid(clusterDirectory);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(TimeSpan.FromSeconds(30));
        return pid;
    }

    /// <summary>SIGINT: PostgreSQL's fast shutdown, as a DBA stopping the server would (waits until it has exited).</summary>
    public static async Task StopAsync(string clusterDirectory)
    {
        var pid = Pid(clusterDirectory);
        using var process = Process.GetProcessById(pid);
        using (var kill = Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }
}

/// <summary>
/// Tests that kill or stop processes, each with apps and clusters of its own. They run alone (no other collection
/// beside them), so a loaded machine slows them down without making them flaky.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "chaos";
}
