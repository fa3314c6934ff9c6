using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// The monitoring speed targets of issue 12 on a scratch <c>--data-dir</c>: it generates the data (default 1M scored
/// videos × 5 snapshots with one logged prediction each, realized weeks for the matured ones, one day due, 100k new
/// videos), trains a version to score with, then times the monitoring read model, <c>GET /api/monitoring</c> and the
/// <c>/models</c> page's first render on the app it starts (target 300 ms), one scoring pass over the new videos (5 s)
/// and one maturing pass over the due day (10 s). The passes change the data: a full run needs a new data dir.
/// </summary>
public static class BenchMonitorVerb
{
    public const double SurfaceTargetMs = 300, ScoringTargetMs = 5_000, MaturingTargetMs = 10_000;

    public static Command Create(IBenchCli cli)
    {
        var videos = new Option<int>("--videos") { Description = "Scored videos, each with one logged prediction", DefaultValueFactory = _ => 1_000_000 };
        var newVideos = new Option<int>("--new-videos") { Description = "Videos no scoring pass has seen, for the timed scoring pass", DefaultValueFactory = _ => 100_000 };
        var snapshots = new Option<int>("--snapshots") { Description = "Snapshots per video", DefaultValueFactory = _ => 5 };
        var weeks = new Option<int>("--weeks") { Description = "Weeks the scored videos are posted over", DefaultValueFactory = _ => 20 };
        var runs = new Option<int>("--runs") { Description = "Runs of each surface timing; the median is reported", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--port") { Description = "Port of the app this verb starts for the HTTP timings", DefaultValueFactory = _ => 5078 };
        var generateOnly = new Option<bool>("--generate-only") { Description = "Generate the data and stop (no monitoring services needed)" };
        var passesOnly = new Option<bool>("--passes-only") { Description = "Time only the scoring and maturing passes (not the read surfaces)" };
        var json = cli.Json();
        var command = new Command("bench-monitor", "Benchmark monitoring at 1M logged predictions and 5M snapshots: the surfaces, a scoring pass over 100k new videos, a maturing pass; uses a scratch --data-dir")
            { videos, newVideos, snapshots, weeks, runs, port, generateOnly, passesOnly, json };
        BenchVerbs.RequireAtLeast((videos, 1), (newVideos, 0), (snapshots, 2), (weeks, 2), (runs, 1));
        command.SetAction(async (parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            var Say = BenchVerbs.Progress(asJson);
            var dataDir = parse.GetValue(cli.DataDir)
                ?? throw new ArgumentException("Give a scratch --data-dir for bench-monitor (never your real one: it adds a million videos, predictions and a model).");
            var sizes = new MonitorBenchSizes(parse.GetValue(videos), parse.GetValue(newVideos), parse.GetValue(snapshots), parse.GetValue(weeks));
            // This process's host only, on the scratch data dir: train quickly on generated data and accept the version.
            Environment.SetEnvironmentVariable("Virality__Training__GateMinimumAccuracy", "0");
            Environment.SetEnvironmentVariable("Virality__Training__CrossValidationFolds", "0");
            Environment.SetEnvironmentVariable("Virality__Training__Trainer", "lbfgs");
            await using var host = await cli.StartHostAsync(dataDir, ct);
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

            MonitorBenchCounts counts;
            double? generateSeconds = null;
            if (await ScalarAsync(dataSource, "SELECT count(*) FROM (SELECT 1 FROM prediction_log LIMIT 1) t", ct) > 0)
            {
                Say($"{dataDir} has predictions already: timing on its data as it is (the scoring and maturing passes may find nothing left to do).");
                counts = await CountAsync(dataSource, ct);
            }
            else
            {
                var clock = Stopwatch.StartNew();
                var now = DateTimeOffset.UtcNow;
                var data = new MonitorBenchData(dataSource);
                Say($"Writing {sizes.Videos + sizes.NewVideos:N0} videos with {sizes.SnapshotsPerVideo} snapshots each …");
                await data.WriteVideosAsync(sizes, now, ct);
                Say($"Videos and snapshots in {clock.Elapsed.TotalSeconds:N0} s; training a seed15 version to log predictions of …");
                var outcome = await host.Services.GetRequiredService<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual, ct);
                if (!outcome.Activated || outcome.Result?.Thresholds is not { } thresholds)
                    throw new InvalidOperationException($"The training run did not give an active version ({outcome.Status}: {outcome.Error ?? string.Join("; ", outcome.Reasons)}).");
                var versionId = await ScalarAsync(dataSource, $"SELECT id FROM model_versions WHERE version_tag = '{outcome.VersionTag}'", ct);
                Say($"Version {outcome.VersionTag} is active; logging {sizes.Videos:N0} predictions …");
                counts = await data.WritePredictionsAsync(sizes, now, versionId, thresholds, ct);
                generateSeconds = clock.Elapsed.TotalSeconds;
                Say($"Generated in {generateSeconds:N0} s: {counts.Videos:N0} videos, {counts.Snapshots:N0} snapshots, {counts.Predictions:N0} predictions ({counts.Matured:N0} matured in {counts.RealizedWeeks} weeks, {counts.Due:N0} due).");
            }
            if (parse.GetValue(generateOnly))
            {
                if (asJson)
                    cli.WriteJson(new { DataDir = dataDir, Data = counts, GenerateSeconds = generateSeconds });
                return 0;
            }

            var queries = host.Services.GetService<IMonitoringQueries>();
            var scoring = host.Services.GetService<IScoringPass>();
            var maturing = host.Services.GetService<IMaturingPass>();
            var missing = new[] { (nameof(IMonitoringQueries), queries is null), (nameof(IScoringPass), scoring is null), (nameof(IMaturingPass), maturing is null) }
                .Where(m => m.Item2).Select(m => m.Item1).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"error: {string.Join(", ", missing)} not registered in this build (AddTrainingServices), so there is nothing to time. The data is in {dataDir}; run again with a build that has them.");
                return 3;
            }

            var rows = new List<TimingRow>();
            if (!parse.GetValue(passesOnly))
            {
                rows.Add(await TimeAsync("IMonitoringQueries.GetAsync()", parse.GetValue(runs), SurfaceTargetMs, () => queries!.GetAsync(ct: ct)));
                rows.AddRange(await TimeHttpAsync(dataDir, parse.GetValue(port), parse.GetValue(runs), Say, ct));
            }

            Say($"Scoring {sizes.NewVideos:N0} new videos …");
            var clockScore = Stopwatch.StartNew();
            var scored = await scoring!.ScoreNewVideosAsync(ct);
            rows.Add(new TimingRow("IScoringPass.ScoreNewVideosAsync()", [clockScore.Elapsed.TotalMilliseconds], ScoringTargetMs, $"{scored.Videos:N0} videos, {scored.Predictions:N0} predictions"));

            Say($"Maturing the due day ({counts.Due:N0} predictions) …");
            var clockMature = Stopwatch.StartNew();
            var matured = await maturing!.MatureAsync(ct);
            rows.Add(new TimingRow("IMaturingPass.MatureAsync()", [clockMature.Elapsed.TotalMilliseconds], MaturingTargetMs, $"{matured.Matured:N0} matured, {matured.WeeksUpdated} weeks updated"));

            var load = BenchPagesVerb.LoadAverage();
            if (asJson)
            {
                cli.WriteJson(new
                {
                    DataDir = dataDir, Data = counts, GenerateSeconds = generateSeconds,
                    Rows = rows.Select(r => new { r.What, r.MedianMs, r.TimesMs, r.TargetMs, r.Met, r.Note }),
                    Scoring = scored, Maturing = matured, Cores = Environment.ProcessorCount, LoadAverage = load,
                });
                return rows.All(r => r.Met) ? 0 : 1;
            }
            var table = new Table().AddColumns("what", "runs", "median ms", "target ms", "met", "");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.What), r.TimesMs.Length.ToString(), r.MedianMs.ToString("N1"), r.TargetMs.ToString("N0"), r.Met ? "yes" : "NO", Markup.Escape(r.Note ?? ""));
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"Data: {counts.Videos:N0} videos, {counts.Snapshots:N0} snapshots, {counts.Predictions:N0} predictions. {Environment.ProcessorCount} cores, load average {load}.");
            return rows.All(r => r.Met) ? 0 : 1;
        });
        return command;
    }

    public sealed record TimingRow(string What, double[] TimesMs, double TargetMs, string? Note = null)
    {
        public double MedianMs => BenchPagesVerb.Percentile(TimesMs, 0.5);
        public bool Met => MedianMs < TargetMs;
    }

    /// <summary>One untimed warm-up call (JIT, connection pool), then <paramref name="runs"/> timed calls.</summary>
    private static async Task<TimingRow> TimeAsync(string what, int runs, double targetMs, Func<Task> call)
    {
        await call();
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        return new TimingRow(what, times, targetMs);
    }

    /// <summary>Starts the app on the same data dir, times <c>GET /api/monitoring</c> and the <c>/models</c> page's first render, stops it.</summary>
    private static async Task<IEnumerable<TimingRow>> TimeHttpAsync(string dataDir, int port, int runs, Action<string> say, CancellationToken ct)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var key = $"bench-monitor-{Guid.NewGuid():N}";
        var password = Environment.GetEnvironmentVariable("Virality__Owner__Password") ?? "BenchMonitor-Owner1";
        var log = Path.Combine(Path.GetTempPath(), $"bench-monitor-app-{Environment.ProcessId}.log");
        using var app = BenchServeVerb.Start(["--data-dir", dataDir], new()
        {
            ["ASPNETCORE_URLS"] = baseUrl,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Virality__ApiKey"] = key,
            ["Virality__Owner__Password"] = password,
            ["Virality__RateLimits__Api__PermitLimit"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        }, log);
        say($"Started the app (pid {app.Id}) on {baseUrl}; its output goes to {log}");
        try
        {
            await BenchServeVerb.WaitHealthyAsync(baseUrl, app, ct);
            using var api = BenchServeVerb.Client(baseUrl, 2, cookies: false);
            api.DefaultRequestHeaders.Add("X-Api-Key", key);
            using var pages = BenchServeVerb.Client(baseUrl, 2, cookies: true);
            await BenchPagesVerb.SignInAsync(pages, "owner", password, ct);
            return
            [
                await TimeAsync("GET /api/monitoring", runs, SurfaceTargetMs, () => GetOkAsync(api, "/api/monitoring", ct)),
                await TimeAsync("GET /models (first render)", runs, SurfaceTargetMs, () => GetOkAsync(pages, "/models", ct)),
            ];
        }
        finally
        {
            if (!app.HasExited)
            {
                // SIGTERM, so the app leaves the embedded cluster to this process; killed only if it does not end.
                Process.Start("kill", ["-TERM", app.Id.ToString()])?.WaitForExit();
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try { await app.WaitForExitAsync(stop.Token); }
                catch (OperationCanceledException) { app.Kill(entireProcessTree: true); }
            }
        }
    }

    private static async Task GetOkAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {path} answered HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static async Task<MonitorBenchCounts> CountAsync(NpgsqlDataSource dataSource, CancellationToken ct) => new(
        await ScalarAsync(dataSource, "SELECT count(*) FROM scraped_videos", ct),
        await ScalarAsync(dataSource, "SELECT count(*) FROM video_snapshots", ct),
        await ScalarAsync(dataSource, "SELECT count(*) FROM prediction_log", ct),
        await ScalarAsync(dataSource, "SELECT count(*) FROM prediction_log WHERE outcome_tier IS NOT NULL", ct),
        await ScalarAsync(dataSource, "SELECT count(*) FROM prediction_log WHERE video_id IS NOT NULL AND outcome_tier IS NULL", ct),
        await ScalarAsync(dataSource, "SELECT count(*) FROM realized_metrics", ct));

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
