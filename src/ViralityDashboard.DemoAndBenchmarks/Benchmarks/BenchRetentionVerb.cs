using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// The prediction log's retention pass (issue 22 §5) on a scratch <c>--data-dir</c>: writes <c>--rows</c> expired rows
/// (8 in 10 served engagement, 1 preference, 1 matured scoring, about 1 KB each as /api/predict writes them) beside
/// <c>--kept</c> rows it must keep, with SQL (<c>generate_series</c>), then starts the app and measures
/// <c>POST /api/predict</c> with bench-serve's <c>wrk</c> load, idle and while this process runs one pass.
/// Target: the pass under 60 s for 10M rows, and predict's p99 during it at most 2 × idle.
/// </summary>
public static class BenchRetentionVerb
{
    public const double DeleteTargetSeconds = 60, P99TargetFactor = 2;

    public static Command Create(IBenchCli cli)
    {
        var rows = new Option<int>("--rows") { Description = "Expired rows the timed pass deletes", DefaultValueFactory = _ => 10_000_000 };
        var kept = new Option<int>("--kept") { Description = "Rows the pass must keep (recent served ones, old unmatured scoring ones)", DefaultValueFactory = _ => 1_000_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of the idle phase", DefaultValueFactory = _ => 15 };
        var concurrency = new Option<int>("--concurrency") { Description = "wrk connections sending POST /api/predict", DefaultValueFactory = _ => 8 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per delete transaction (Virality:Monitoring:Retention:BatchSize)", DefaultValueFactory = _ => 50_000 };
        var port = new Option<int>("--port") { Description = "Port of the app this verb starts", DefaultValueFactory = _ => 5079 };
        var json = cli.Json();
        var command = new Command("bench-retention", "Benchmark the prediction log's retention pass over 10M expired rows, and /api/predict's p50/p99 idle vs during it; uses a scratch --data-dir")
            { rows, kept, seconds, concurrency, batchSize, port, json };
        BenchVerbs.RequireAtLeast((rows, 1), (kept, 0), (seconds, 1), (concurrency, 1), (batchSize, 1));
        command.SetAction(async (parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            var Say = BenchVerbs.Progress(asJson);
            var dataDir = parse.GetValue(cli.DataDir)
                ?? throw new ArgumentException("Give a scratch --data-dir for bench-retention (never your real one: it writes millions of log rows and deletes expired ones).");
            var wrk = WrkLoad.Find() ?? throw new ArgumentException("bench-retention drives /api/predict with wrk: install it (apt-get install wrk).");
            // This process's host only: a quick model for /api/predict to serve, and the pass's batch size.
            Environment.SetEnvironmentVariable("Virality__Training__GateMinimumAccuracy", "0");
            Environment.SetEnvironmentVariable("Virality__Training__CrossValidationFolds", "0");
            Environment.SetEnvironmentVariable("Virality__Training__Trainer", "lbfgs");
            Environment.SetEnvironmentVariable("Virality__Monitoring__Retention__BatchSize", parse.GetValue(batchSize).ToString(CultureInfo.InvariantCulture));
            await using var host = await cli.StartHostAsync(dataDir, ct);
            var data = host.Services.GetRequiredService<NpgsqlDataSource>();

            var versionId = await ScalarAsync(data, "SELECT coalesce(max(id), 0) FROM model_versions WHERE kind = 'engagement' AND is_active", ct);
            if (versionId == 0)
            {
                Say("No active engagement model: importing 5,000 generated videos and training one (not timed) …");
                await host.Services.GetRequiredService<VideoImporter>().ImportAsync(SyntheticVideos.Generate(5_000, 42), new ImportOptions(), ct: ct);
                var outcome = await host.Services.GetRequiredService<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual, ct);
                if (!outcome.Activated)
                    throw new InvalidOperationException($"The training run did not give an active version ({outcome.Status}: {outcome.Error ?? string.Join("; ", outcome.Reasons)}).");
                versionId = await ScalarAsync(data, "SELECT max(id) FROM model_versions WHERE kind = 'engagement' AND is_active", ct);
            }

            var generate = Stopwatch.StartNew();
            var expired = parse.GetValue(rows);
            // As a deployment's log is: the months the rows fall in exist before the rows do (the retention pass creates them ahead).
            var created = await host.Services.GetRequiredService<PredictionLogPartitions>().EnsureAsync(DateTimeOffset.UtcNow.AddDays(-401), DateTimeOffset.UtcNow.AddMonths(1), ct);
            Say($"Created {created.Count} monthly partitions; writing {expired:N0} expired and {parse.GetValue(kept):N0} kept log rows …");
            await WriteRowsAsync(data, versionId, expired, parse.GetValue(kept), Say, ct);
            // In a deployment the expired rows are weeks old: long since vacuumed, their visibility settled.
            Say("VACUUM ANALYZE prediction_log …");
            await ExecuteAsync(data, "VACUUM (ANALYZE) prediction_log", ct);
            var before = await SizeAsync(data, ct);
            Say($"Generated in {generate.Elapsed.TotalSeconds:N0} s: {before.Rows:N0} rows, {before.Bytes / 1048576d:N0} MiB.");

            var baseUrl = $"http://127.0.0.1:{parse.GetValue(port)}";
            var key = $"bench-retention-{Guid.NewGuid():N}";
            var log = Path.Combine(Path.GetTempPath(), $"bench-retention-app-{Environment.ProcessId}.log");
            using var app = BenchServeVerb.Start(["--data-dir", dataDir], new()
            {
                ["ASPNETCORE_URLS"] = baseUrl,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Virality__ApiKey"] = key,
                ["Virality__Owner__Password"] = "BenchRetention-Owner1",
                ["Virality__RateLimits__Api__PermitLimit"] = "0",
                ["Logging__LogLevel__Default"] = "Warning",
                // Only the pass this verb runs deletes; no other job's work in the figures.
                ["Virality__Monitoring__Retention__Enabled"] = "false",
                ["Virality__Monitoring__SchedulesEnabled"] = "false",
                ["Virality__Monitoring__Drift__Enabled"] = "false",
                ["Virality__Preference__DataTriggersEnabled"] = "false",
            }, log, ownSession: true);
            Say($"Started the app (pid {app.Id}) on {baseUrl}; its output goes to {log}");
            var scripts = Directory.CreateTempSubdirectory("bench-retention-wrk-");
            try
            {
                await BenchServeVerb.WaitHealthyAsync(baseUrl, app, ct);
                var script = WrkLoad.WriteScript(scripts.FullName);
                var c = parse.GetValue(concurrency);
                WrkLoad Load(int? length) => WrkLoad.Start(wrk, "predict", baseUrl, c, script, length, WrkLoad.PredictEnvironment(key));
                using (var warmUp = Load(10))
                    await warmUp.WaitAsync(ct);
                Say($"Idle: {c} wrk connections on /api/predict for {parse.GetValue(seconds)} s …");
                WrkFigures idle;
                var idleFrom = DateTimeOffset.UtcNow;
                using (var idleLoad = Load(parse.GetValue(seconds)))
                    idle = await idleLoad.WaitAsync(ct);
                var idleTo = DateTimeOffset.UtcNow;
                await Task.Delay(2000, ct);
                var idleLogged = await LoggedAsync(data, idleFrom, idleTo, ct);

                Say("During: the same load while one retention pass runs …");
                WrkFigures during;
                RetentionPassResult pass;
                var passClock = Stopwatch.StartNew();
                var duringFrom = DateTimeOffset.UtcNow;
                using (var load = Load(null))
                {
                    // Let wrk's connections open before the pass starts.
                    await Task.Delay(500, ct);
                    passClock.Restart();
                    pass = await host.Services.GetRequiredService<IRetentionPass>().DeleteExpiredAsync(ct);
                    passClock.Stop();
                    during = await load.StopAsync(ct);
                }
                // The app's log writer queues rows and drops them when its queue is full: were the inserts kept up with?
                var duringTo = DateTimeOffset.UtcNow;
                await Task.Delay(2000, ct);
                var duringLogged = await LoggedAsync(data, duringFrom, duringTo, ct);
                // Idle again: the first idle phase can still run code the JIT has not optimized yet (during was faster
                // than it), so the target compares with the better of the two.
                Say($"Idle again for {parse.GetValue(seconds)} s …");
                WrkFigures afterIdle;
                using (var afterLoad = Load(parse.GetValue(seconds)))
                    afterIdle = await afterLoad.WaitAsync(ct);
                var idleP99 = Math.Min(idle.P99Ms, afterIdle.P99Ms);
                var after = await SizeAsync(data, ct);
                var passSeconds = passClock.Elapsed.TotalSeconds;
                var allowed = P99TargetFactor * idleP99;
                var met = passSeconds < DeleteTargetSeconds * Math.Max(1, pass.Deleted / 10_000_000d) && during.P99Ms <= allowed;
                var result = new
                {
                    Deleted = pass.Deleted, pass.Partitions, pass.PartitionRows, pass.Served, pass.Preference, pass.Scoring, pass.Batches, BatchSize = parse.GetValue(batchSize),
                    PassSeconds = passSeconds, RowsPerSecond = pass.Deleted / passSeconds,
                    Idle = new { idle.Requests, PerSecond = idle.Requests / idle.Seconds, idle.P50Ms, idle.P99Ms, idle.MaxMs, idle.Non200, idle.Errors, Logged = idleLogged },
                    IdleAfter = new { afterIdle.Requests, PerSecond = afterIdle.Requests / afterIdle.Seconds, afterIdle.P50Ms, afterIdle.P99Ms, afterIdle.MaxMs, afterIdle.Non200, afterIdle.Errors },
                    During = new { during.Requests, PerSecond = during.Requests / during.Seconds, during.P50Ms, during.P99Ms, during.MaxMs, during.Non200, during.Errors, Logged = duringLogged },
                    RowsBefore = before.Rows, RowsAfter = after.Rows, BytesBefore = before.Bytes, BytesAfter = after.Bytes,
                    Met = met, Cores = Environment.ProcessorCount, LoadAverage = BenchPagesVerb.LoadAverage(),
                };
                if (asJson)
                {
                    cli.WriteJson(result);
                    return met ? 0 : 1;
                }
                var table = new Table().AddColumns("predict", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "not 200", "logged");
                table.AddRow("idle", idle.Requests.ToString("N0"), result.Idle.PerSecond.ToString("N0"), idle.P50Ms.ToString("N2"), idle.P99Ms.ToString("N2"), idle.MaxMs.ToString("N1"), (idle.Non200 + idle.Errors).ToString("N0"), idleLogged.ToString("N0"));
                table.AddRow("during the pass", during.Requests.ToString("N0"), result.During.PerSecond.ToString("N0"), during.P50Ms.ToString("N2"), during.P99Ms.ToString("N2"), during.MaxMs.ToString("N1"), (during.Non200 + during.Errors).ToString("N0"), duringLogged.ToString("N0"));
                table.AddRow("idle after", afterIdle.Requests.ToString("N0"), result.IdleAfter.PerSecond.ToString("N0"), afterIdle.P50Ms.ToString("N2"), afterIdle.P99Ms.ToString("N2"), afterIdle.MaxMs.ToString("N1"), (afterIdle.Non200 + afterIdle.Errors).ToString("N0"), "");
                AnsiConsole.Write(table);
                AnsiConsole.WriteLine($"Pass: {pass.Deleted:N0} rows deleted: {pass.PartitionRows:N0} in {pass.Partitions} months dropped whole, then {pass.Served:N0} served, {pass.Preference:N0} preference, {pass.Scoring:N0} matured scoring in {pass.Batches:N0} batches of up to {parse.GetValue(batchSize):N0}: {passSeconds:N1} s, {result.RowsPerSecond:N0} rows/s.");
                AnsiConsole.WriteLine($"Log: {before.Rows:N0} → {after.Rows:N0} rows (estimate), {before.Bytes / 1048576d:N0} → {after.Bytes / 1048576d:N0} MiB (a month dropped returns its space; rows deleted leave space VACUUM reuses).");
                AnsiConsole.WriteLine($"Target: pass under {DeleteTargetSeconds} s per 10M rows, and p99 during {during.P99Ms:N1} ms ≤ {allowed:N1} ms (2 × the better idle p99): {(met ? "met" : "NOT met")}. {Environment.ProcessorCount} cores, load average {result.LoadAverage}.");
                return met ? 0 : 1;
            }
            finally
            {
                scripts.Delete(recursive: true);
                if (!app.HasExited)
                {
                    // SIGTERM, so the app leaves the embedded cluster to this process; killed only if it does not end.
                    Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    try { await app.WaitForExitAsync(stop.Token); }
                    catch (OperationCanceledException) { app.Kill(entireProcessTree: true); }
                }
            }
        });
        return command;
    }

    // One served prediction's features as the log keeps them (jsonb, ~700 bytes): with the rest, about 1 KB a row.
    private static readonly string Features = "{" + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"feature_{i:00}\": {1234.5678 + i * 3.25:0.0000}")) + "}";

    /// <summary>
    /// Expired rows by rule (g % 10: 0–7 served engagement past 30 days, before the month the 30 days end in, as a backlog
    /// of whole months is; 8 preference past 90, 9 scoring matured over 180 days ago) and kept ones (recent served,
    /// unmatured scoring over a year old), in 1M-row statements.
    /// </summary>
    private static async Task WriteRowsAsync(NpgsqlDataSource data, long versionId, int expired, int kept, Action<string> say, CancellationToken ct)
    {
        const string Insert = """
            INSERT INTO prediction_log (model_version_id, kind, source, feature_set, inputs_hash, features, probabilities, predicted_tier, score,
                                        served_at, video_id, observed_at, outcome_tier, matured_at)
            SELECT $1,
                   CASE WHEN g % 10 = 8 AND NOT $5 THEN 'preference' ELSE 'engagement' END,
                   CASE WHEN g % 10 = 9 THEN 'scoring' WHEN g % 2 = 0 THEN 'api' ELSE 'page' END,
                   CASE WHEN g % 10 = 8 AND NOT $5 THEN NULL ELSE 'seed15' END,
                   md5(g::text) || md5((g + 1)::text),
                   CASE WHEN g % 10 = 8 AND NOT $5 THEN NULL ELSE $4::jsonb END,
                   ARRAY[0.1, 0.2, 0.4, 0.2, 0.1]::real[], (g % 5 + 1)::smallint, 50 + g % 50,
                   t.served, NULL, t.served,
                   CASE WHEN g % 10 = 9 AND NOT $5 THEN (g % 5 + 1)::smallint END,
                   CASE WHEN g % 10 = 9 AND NOT $5 THEN t.served + interval '7 days' END
            FROM generate_series($2::bigint, $3::bigint) AS g,
                 LATERAL (SELECT CASE
                     WHEN $5 AND g % 10 = 9 THEN now() - interval '400 days' - g * interval '1 ms'
                     WHEN $5 THEN now() - interval '1 day' + g * interval '50 microseconds'
                     WHEN g % 10 = 9 THEN now() - interval '200 days' - g * interval '100 ms'
                     WHEN g % 10 = 8 THEN now() - interval '91 days' - g * interval '100 ms'
                     ELSE date_trunc('month', now() - interval '30 days', 'UTC') - interval '1 ms' - g * interval '100 ms' END AS served) t
            """;
        async Task WriteAsync(long count, bool keep)
        {
            for (long from = 1; from <= count; from += 1_000_000)
            {
                var to = Math.Min(count, from + 999_999);
                await using var cmd = data.CreateCommand(Insert);
                cmd.CommandTimeout = 0;
                cmd.Parameters.AddWithValue(versionId);
                cmd.Parameters.AddWithValue(from);
                cmd.Parameters.AddWithValue(to);
                cmd.Parameters.AddWithValue(Features);
                cmd.Parameters.AddWithValue(keep);
                await cmd.ExecuteNonQueryAsync(ct);
                say($"  {to:N0} of {count:N0} {(keep ? "kept" : "expired")} rows");
            }
        }
        await WriteAsync(expired, keep: false);
        await WriteAsync(kept, keep: true);
    }

    /// <summary>API predictions the app logged between the two times (its writer drops rows when its queue is full).</summary>
    private static async Task<long> LoggedAsync(NpgsqlDataSource data, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand("SELECT count(*) FROM prediction_log WHERE kind = 'engagement' AND source = 'api' AND served_at >= $1 AND served_at < $2");
        cmd.Parameters.AddWithValue(from);
        cmd.Parameters.AddWithValue(to);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<(long Rows, long Bytes)> SizeAsync(NpgsqlDataSource data, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand(MonitoringQueries.LogSizeSql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), r.GetInt64(1));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource data, string sql, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql, CancellationToken ct)
    {
        await using var cmd = data.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
