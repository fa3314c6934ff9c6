using System.Globalization;
using ViralityDashboard.Tests.Fixtures;
using Xunit.Abstractions;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>
/// Issue 22 §4: <c>kill -TERM</c> during a first start, before the host handles signals. The runtime's default handler
/// ended the process at once, so the database lease was never disposed and the cluster the start had launched stayed up.
/// A stop during startup must stop what startup started.
/// </summary>
[Trait("Category", "Chaos")]
[Collection(ChaosCollection.Name)]
public sealed class StopDuringStartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Started PostgreSQL")] // the cluster is up; the app database and the lease are next
    [InlineData("Empty database: adding demo data")] // after the migrations, during the seeding
    public async Task SigtermDuringTheFirstStartExitsAndLeavesNoPostmasterRunning(string moment)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"virality-stopstart-{Guid.NewGuid():N}");
        var pidFile = Path.Combine(dataDir, "pgdata", "postmaster.pid");
        int? postmaster = null;
        try
        {
            await using var app = AppProcess.Launch($"chaos-{Guid.NewGuid():N}", new Dictionary<string, string> { ["Virality__DataDir"] = dataDir });
            Assert.True(await app.WaitForOutputAsync(moment, TimeSpan.FromMinutes(4)), $"the start never logged '{moment}':\n{app.Output}");
            postmaster = File.Exists(pidFile) ? int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture) : null;

            var exit = await app.TerminateAsync();

            output.WriteLine($"SIGTERM at '{moment}': exit {(exit is { } e ? $"{e.TotalSeconds:0.0} s, code {app.ExitCode}" : "not within 60 s")}; postmaster {postmaster}");
            Assert.True(exit is not null, $"the app had not exited 60 s after SIGTERM:\n{app.Output}");
            Assert.NotNull(postmaster);
            Assert.False(IsAlive(postmaster.Value), $"postmaster {postmaster} still runs after the app exited:\n{app.Output}");
            Assert.False(File.Exists(pidFile), $"postmaster.pid is still there:\n{app.Output}");
        }
        finally
        {
            await TrainingKillTests.StopLeftoverClusterAsync(dataDir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
