using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>
/// Issue 10 §2: the app killed (<c>kill -9</c>) during a retrain and started again on the same data directory. The run
/// it was running must become failed "interrupted (process ended)", and the next retrain must complete.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class TrainingKillTests
{
    private const string Interrupted = "interrupted (process ended)";
    private static readonly string[] Finished = ["completed", "skipped_by_gate", "failed"];

    [Fact]
    public async Task ARunKilledMidwayIsMarkedFailedAtRestartAndANewRetrainCompletes()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"virality-chaos-{Guid.NewGuid():N}");
        var apiKey = $"chaos-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string> { ["Virality__DataDir"] = dataDir };
        AppProcess? first = null, second = null;
        try
        {
            first = await AppProcess.StartAsync(apiKey, environment);
            // The forest is the slowest trainer: the first run in a process also pays the JIT, so it stays "running" for seconds.
            var killed = await first.RetrainAsync(new { trainer = "forest" });
            var queued = await first.RetrainAsync(new { trainer = "lbfgs" });
            var runId = await WaitForAsync(first, killed.ToString(), run => run.GetProperty("status").GetString() == "running", TimeSpan.FromMinutes(3))
                is { } running ? running.GetProperty("id").GetInt64() : throw new InvalidOperationException("The retrain never ran.");

            // Behind the running one, the second request is still in Quartz's store: "queued", not 404.
            var (status, body) = await first.RunAsync(queued.ToString());
            Assert.Equal(200, status);
            Assert.Equal("queued", body.GetProperty("status").GetString());

            first.Kill();
            second = await AppProcess.StartAsync(apiKey, environment);

            // By run id: the request itself is run again once Quartz recovers the dead node's firing.
            var failed = await WaitForAsync(second, runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                run => run.GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(1));
            Assert.NotNull(failed);
            Assert.Equal("failed", failed.Value.GetProperty("status").GetString());
            Assert.Equal(Interrupted, failed.Value.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.String, failed.Value.GetProperty("finishedAt").ValueKind);

            var fresh = await second.RetrainAsync(new { trainer = "lbfgs" });
            var done = await WaitForAsync(second, fresh.ToString(), run => Finished.Contains(run.GetProperty("status").GetString()), TimeSpan.FromMinutes(4));
            Assert.NotNull(done);
            Assert.Contains(done.Value.GetProperty("status").GetString(), new[] { "completed", "skipped_by_gate" });
        }
        finally
        {
            first?.Kill();
            if (second is not null)
                await second.DisposeAsync();
            await StopLeftoverClusterAsync(dataDir);
        }
    }

    /// <summary>Polls GET /api/runs/{id} until the run (the body's <c>run</c>) matches; null when it never does.</summary>
    internal static async Task<JsonElement?> WaitForAsync(AppProcess app, string id, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await app.RunAsync(id);
            if (status == 200 && body.TryGetProperty("run", out var run) && match(run))
                return run;
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>A cluster the killed app started and no app stopped: joining and leaving stops it when nobody else is connected.</summary>
    internal static async Task StopLeftoverClusterAsync(string dataDir)
    {
        try
        {
            if (Directory.Exists(Path.Combine(dataDir, "pgdata")))
                await (await EmbeddedPostgres.StartAsync(dataDir, NullLogger.Instance)).DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or EmbeddedPostgresException)
        {
            // a leftover temp folder is harmless
        }
    }
}
