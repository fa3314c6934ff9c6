using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ViralityDashboard.Tests.Fixtures;
using Xunit.Abstractions;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>
/// A team's server: two app processes on one PostgreSQL server, each with its own HOME. Issue 10 §10: they share
/// Quartz's clustered store, so twenty retrains requested alternately from both run exactly once each, even when one
/// instance is killed during a run (the other recovers the firing after the dead one's row is marked interrupted).
/// Issue 22 §7: a sign-in, an activation and a user's removal on one instance hold on the other.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class TwoInstanceClusterTests(ITestOutputHelper output)
{
    private const int Requests = 20;
    private const string Interrupted = "interrupted (process ended)";

    [Fact]
    public async Task TwentyRetrainsFromTwoInstancesRunExactlyOnceEachEvenWhenOneIsKilled()
    {
        // An empty database trains on the bundled fallback set (5,000 rows); no cross-validation keeps 20 runs short.
        await using var pair = await TwoInstances.StartAsync(new Dictionary<string, string> { ["Virality__Training__CrossValidationFolds"] = "0" });
        var (a, b) = (pair.A, pair.B);
        var clock = Stopwatch.StartNew();

        var requested = new List<Guid>();
        for (var i = 0; i < Requests; i++)
            requested.Add(await (i % 2 == 0 ? a : b).RetrainAsync(new { trainer = "lbfgs" }));
        // Each request is known to the other instance at once (queued in the shared store, or already a run).
        for (var i = 0; i < Requests; i++)
        {
            var (status, _) = await (i % 2 == 0 ? b : a).RunAsync(requested[i].ToString());
            Assert.Equal(200, status);
        }

        await using var db = new NpgsqlConnection(pair.ConnectionString);
        await db.OpenAsync();
        var killedRun = await WaitForRunOnAsync(db, "virality-a", TimeSpan.FromMinutes(3));
        Assert.True(killedRun is not null, "instance A never ran a retrain, so it could not be killed during one");
        a.Kill();
        var killedAt = clock.Elapsed;

        var rows = await WaitForAllAsync(db, requested, TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;

        var perRequest = rows.GroupBy(r => r.RequestId).ToDictionary(g => g.Key, g => g.ToList());
        var ran = perRequest.Count(p => p.Value.Any(r => r.Status is "completed" or "skipped_by_gate"));
        var duplicates = perRequest.Count(p => p.Value.Count(r => r.Error != Interrupted) > 1);
        var interrupted = rows.Where(r => r.Error == Interrupted).ToList();
        output.WriteLine($"runs requested: {Requests}; request ids with a finished run: {ran}; duplicates: {duplicates}; " +
            $"rows: {rows.Count} ({interrupted.Count} interrupted: run {killedRun} killed with instance A at {killedAt.TotalSeconds:F1} s); " +
            $"rows of unknown requests: {rows.Count(r => !requested.Contains(r.RequestId))}; all done in {elapsed.TotalSeconds:F1} s");

        Assert.Equal(Requests, ran);
        Assert.Equal(0, duplicates);
        Assert.All(rows, r => Assert.Contains(r.RequestId, requested));
        var lost = Assert.Single(interrupted);
        Assert.Equal(killedRun, lost.Id);
        Assert.Equal("failed", lost.Status);
        Assert.True(lost.FinishedAt is not null);
    }

    [Fact]
    public async Task ASignInAnActivationAndARemovalOnOneInstanceHoldOnTheOther()
    {
        const int recheckSeconds = 2;
        await using var pair = await TwoInstances.StartAsync(new Dictionary<string, string>
        {
            ["Virality__Training__CrossValidationFolds"] = "0",
            // The fallback set's models are not the point: both versions must pass the gate to be activated.
            ["Virality__Training__GateMinimumAccuracy"] = "0.3",
            ["Virality__Accounts__SessionRecheckSeconds"] = $"{recheckSeconds}",
        });
        var (a, b) = (pair.A, pair.B);

        // Signed in on A, the owner's cookie works on B.
        using var owner = new CookieJar();
        await owner.SignInAsync(a, "owner", SharedServer.OwnerPassword);
        var ownerOnB = await owner.For(b).GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.OK, ownerOnB.StatusCode);

        // B serves the active version; A activates the previous one; B follows within its model cache's recheck.
        var first = await TrainAsync(a);
        var second = await TrainAsync(a);
        Assert.Equal(second, await PredictedVersionAsync(b));
        using (var activated = await a.Http.PostAsJsonAsync($"/api/models/{first}/activate", new { reason = "chaos: back to the first" }))
            Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var activatedAt = Stopwatch.StartNew();
        var served = second;
        while (served != first && activatedAt.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
            served = await PredictedVersionAsync(b);
        }
        var followedAfter = activatedAt.Elapsed;
        Assert.Equal(first, served);

        // A viewer's session, the same cookie on both instances, ends on both once the account is removed.
        const string password = "Viewer-Pass-2026";
        await AppProcess.RunCliAsync(["users", "add", "leaver", "--role", "viewer", "--password", password], pair.CliSettings);
        using var viewerOnA = new CookieJar();
        await viewerOnA.SignInAsync(a, "leaver", password);
        using var viewerOnB = viewerOnA.Copy();
        Assert.Equal(HttpStatusCode.OK, (await viewerOnB.For(b).GetAsync("/api/models")).StatusCode);
        await AppProcess.RunCliAsync(["users", "remove", "leaver"], pair.CliSettings);
        var removedAt = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(WaitUntilRefusedAsync(viewerOnA.For(a), removedAt), WaitUntilRefusedAsync(viewerOnB.For(b), removedAt));

        output.WriteLine($"owner cookie of A on B: {(int)ownerOnB.StatusCode}; {first} activated on A, served by B after {followedAfter.TotalSeconds:F1} s " +
            $"(model cache recheck: 2 s); removed viewer: A answered {(int)outcomes[0].Status} after {outcomes[0].After.TotalSeconds:F1} s, " +
            $"B answered {(int)outcomes[1].Status} after {outcomes[1].After.TotalSeconds:F1} s (session recheck: {recheckSeconds} s)");
        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.Unauthorized, o.Status));
    }

    /// <summary>A retrain (lbfgs) on this instance, waited for; the version it made active.</summary>
    private static async Task<string> TrainAsync(AppProcess app)
    {
        var id = (await app.RetrainAsync(new { trainer = "lbfgs" })).ToString();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var (_, body) = await app.RunAsync(id);
            // A queued request answers {"requestId","status"}; a run answers its detail, {"run": {"status",…}, …}.
            var run = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("run", out var row) ? row : body;
            var status = run.ValueKind == JsonValueKind.Object ? run.GetProperty("status").GetString() : null;
            if (status is not (null or "queued" or "running"))
            {
                Assert.True(status == "completed", $"the retrain ended {status}: {run}");
                return run.GetProperty("versionTag").GetString()!;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the retrain had not ended within 3 minutes: {run}");
            await Task.Delay(250);
        }
    }

    /// <summary>The version that answers this instance's <c>/api/predict</c>.</summary>
    private static async Task<string> PredictedVersionAsync(AppProcess app)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/predict", new { views = 120000, likes = 9800, shares = 450, comments = 310 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionTag").GetString()!;
    }

    /// <summary>Polls <c>/api/models</c> with a removed user's cookie until it is refused, for 30 s at most.</summary>
    private static async Task<(HttpStatusCode Status, TimeSpan After)> WaitUntilRefusedAsync(HttpClient http, Stopwatch since)
    {
        while (true)
        {
            using var response = await http.GetAsync("/api/models");
            if (response.StatusCode != HttpStatusCode.OK || since.Elapsed > TimeSpan.FromSeconds(30))
                return (response.StatusCode, since.Elapsed);
            await Task.Delay(100);
        }
    }

    private sealed record RunRow(long Id, Guid RequestId, string Status, string? Error, DateTimeOffset? FinishedAt);

    /// <summary>The id of a run that the named instance is running now (its session holds the run's lock).</summary>
    private static async Task<long?> WaitForRunOnAsync(NpgsqlConnection db, string instance, TimeSpan timeout)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT r.id FROM training_runs r JOIN pg_stat_activity s ON s.pid = r.lock_backend_pid
            WHERE r.status = 'running' AND s.application_name = @instance LIMIT 1
            """, db);
        cmd.Parameters.AddWithValue("instance", instance);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await cmd.ExecuteScalarAsync() is long id)
                return id;
            await Task.Delay(20);
        }
        return null;
    }

    /// <summary>Every row once each request has a run that ended other than interrupted and nothing is running; throws on timeout.</summary>
    private static async Task<List<RunRow>> WaitForAllAsync(NpgsqlConnection db, IReadOnlyCollection<Guid> requested, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rows = new List<RunRow>();
            await using (var cmd = new NpgsqlCommand("SELECT id, request_id, status, error, finished_at FROM training_runs ORDER BY id", db))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                    rows.Add(new RunRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
            }
            var settled = requested.All(id => rows.Any(r => r.RequestId == id && r.Status != "running" && r.Error != Interrupted));
            if (settled && rows.All(r => r.Status != "running"))
                return rows;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not every request ran within {timeout}: " +
                    string.Join("; ", rows.Select(r => $"{r.Id} {r.RequestId} {r.Status} {r.Error}")));
            await Task.Delay(500);
        }
    }
}
