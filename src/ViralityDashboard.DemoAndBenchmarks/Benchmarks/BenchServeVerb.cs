using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// Does training starve the web app (issue 10 §1)? Measures <c>POST /api/predict</c> under closed-loop load and one
/// page's first render, first idle and then while a retrain runs, in one run on one machine, and checks the target:
/// during training p99 ≤ 3 × idle p99 + 20 ms and no request over 250 ms. Either against <c>--url</c> (a running app
/// with an active engagement model, started with the API key and owner password given here), or it seeds a scratch
/// <c>--data-dir</c> with generated videos and starts the app itself, set to train on all of them.
/// The load comes from <c>wrk</c> when it is installed (the issue's own client: light, at normal priority, in a
/// session of its own), otherwise from .NET loops in this process, which share the app's two cores and so distort
/// what they measure: at nice 10 they starve themselves, at nice 0 they take the cores the app needs.
/// </summary>
public static class BenchServeVerb
{
    public const double TargetFactor = 3, TargetSlackMs = 20, TargetMaxMs = 250;

    private const int SlowestShown = 8;

    private const string PredictBody =
        """{"views":184200,"likes":21450,"shares":1320,"comments":486,"saves":2210,"durationSeconds":27.5,"hashtags":["fyp","cooking","pasta","recipe","foodtok"],"soundName":"original sound - chefmia","soundOriginal":true,"description":"15-minute garlic butter pasta #fyp #cooking","authorFollowers":48300,"authorVerified":false,"postedAt":"2026-10-14T18:32:00Z"}""";

    public static Command Create(IBenchCli cli)
    {
        var url = new Option<string?>("--url") { Description = "A running app to measure; without it the app is started on --data-dir" };
        var videos = new Option<int>("--videos") { Description = "Generated videos in the scratch data dir; the retrain reads all of them", DefaultValueFactory = _ => 1_000_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of the idle phase; the training phase lasts as long as the retrain", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int?>("--concurrency") { Description = "Closed-loop /api/predict clients (default: 32 with wrk, as in the issue; 16 with the .NET client)" };
        var client = new Option<string>("--client") { Description = "Load generator: wrk (needs wrk on PATH), dotnet (loops in this process) or auto (wrk when installed)", DefaultValueFactory = _ => "auto" };
        client.AcceptOnlyFromAmong("auto", "wrk", "dotnet");
        var page = new Option<string>("--page") { Description = "The page whose first render is timed (one request at a time)", DefaultValueFactory = _ => "/training" };
        var port = new Option<int>("--port") { Description = "Port of the app this verb starts", DefaultValueFactory = _ => 5077 };
        var trainer = new Option<string>("--trainer") { Description = "Trainer of the measured retrain", DefaultValueFactory = _ => "lbfgs" };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (default: Virality__ApiKey, or a generated one for the app started here)" };
        var password = new Option<string?>("--password") { Description = "Owner password (default: Virality__Owner__Password, or BenchServe-Owner1 for the app started here)" };
        var clientNice = new Option<int>("--client-nice") { Description = "With the .NET client: nice value of this client's scheduling group (0–19), so its loops yield the CPU to the app as remote clients would", DefaultValueFactory = _ => 10 };
        var json = cli.Json();
        var command = new Command("bench-serve", "Benchmark /api/predict and a page's first render idle and during a retrain: p50, p99, max and the issue 10 target")
            { url, videos, seconds, concurrency, client, page, port, trainer, apiKey, password, clientNice, json };
        clientNice.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 19)
                r.AddError("--client-nice must be between 0 and 19");
        });
        BenchVerbs.RequireAtLeast((videos, 1000), (seconds, 1));
        concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() < 1)
                r.AddError("--concurrency must be at least 1");
        });
        command.SetAction(async (parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            var Say = BenchVerbs.Progress(asJson);
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("Virality__ApiKey");
            var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("Virality__Owner__Password");
            var baseUrl = parse.GetValue(url);
            var wrk = parse.GetValue(client) switch
            {
                "dotnet" => null,
                "wrk" => WrkLoad.Find() ?? throw new ArgumentException("--client wrk: wrk is not on PATH (apt-get install wrk)."),
                _ => WrkLoad.Find(),
            };
            Say(wrk is null ? "Load: .NET loops in this process (install wrk for a client that does not share the app's cores)." : $"Load: {wrk}.");
            Process? app = null;
            int? niceBefore = null;
            try
            {
                if (baseUrl is null)
                {
                    var dataDir = parse.GetValue(cli.DataDir)
                        ?? throw new ArgumentException("Give --url of a running app, or a scratch --data-dir for the app this verb starts (never your real one: it adds videos and models).");
                    key ??= $"bench-serve-{Guid.NewGuid():N}";
                    secret ??= "BenchServe-Owner1";
                    if (!Directory.Exists(dataDir))
                    {
                        Say($"Seeding {parse.GetValue(videos):N0} generated videos into {dataDir} …");
                        var seeding = Stopwatch.StartNew();
                        using var seed = Start(["seed-demo", "--data-dir", dataDir, "--videos", parse.GetValue(videos).ToString(), "--analyzed", "300"], new(), null);
                        await seed.WaitForExitAsync(ct);
                        if (seed.ExitCode != 0)
                            throw new InvalidOperationException($"seed-demo failed (exit code {seed.ExitCode}).");
                        Say($"Seeded in {seeding.Elapsed.TotalSeconds:N0} s.");
                    }
                    else
                        Say($"{dataDir} exists: using its videos as they are.");
                    baseUrl = $"http://127.0.0.1:{parse.GetValue(port)}";
                    var log = Path.Combine(Path.GetTempPath(), $"bench-serve-app-{Environment.ProcessId}.log");
                    app = Start(["--data-dir", dataDir], new()
                    {
                        ["ASPNETCORE_URLS"] = baseUrl,
                        // What a deployment runs: Development validates DI scopes on every resolve and traces every request.
                        ["ASPNETCORE_ENVIRONMENT"] = "Production",
                        ["Virality__ApiKey"] = key,
                        ["Virality__Owner__Password"] = secret,
                        ["Virality__Training__MaxVideos"] = parse.GetValue(videos).ToString(),
                        ["Virality__Training__GateMinimumAccuracy"] = "0",
                        ["Virality__Training__TimeBudgetSeconds"] = "3600",
                        ["Logging__LogLevel__Default"] = "Warning",
                        // A load test from one address: the per-client API limit would answer it 429.
                        ["Virality__RateLimits__Api__PermitLimit"] = "0",
                        // The retrain's steps with their times, to place the slowest requests in it.
                        ["Logging__LogLevel__ViralityDashboard.Training"] = "Information",
                        ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
                        ["Logging__Console__UseUtcTimestamp"] = "true",
                        // Requests near the target's limit, with where their time went (database, GC, CPU, scheduling).
                        ["Virality__SlowRequests__ThresholdMs"] = "200",
                    }, log, ownSession: true);
                    Say($"Started the app (pid {app.Id}) on {baseUrl}; its output goes to {log}");
                    if (wrk is null)
                        niceBefore = YieldToTheApp(parse.GetValue(clientNice), Say);
                    await WaitHealthyAsync(baseUrl, app, ct);
                }
                if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
                    throw new ArgumentException("Give --api-key and --password (or Virality__ApiKey and Virality__Owner__Password) of the app at --url.");

                var c = parse.GetValue(concurrency) ?? (wrk is null ? 16 : 32);
                using var api = Client(baseUrl, c + 2, cookies: false);
                api.DefaultRequestHeaders.Add("X-Api-Key", key);
                var jar = new CookieContainer();
                using var pages = Client(baseUrl, 2, cookies: true, jar);
                await BenchPagesVerb.SignInAsync(pages, "owner", secret, ct);
                var retrainBody = JsonSerializer.Serialize(new { trainer = parse.GetValue(trainer) });

                using (var probe = await PredictAsync(api, ct))
                {
                    if (probe.StatusCode == HttpStatusCode.Conflict)
                    {
                        Say("No active engagement model yet: training one first (not timed) …");
                        var first = await RetrainAsync(api, retrainBody, ct);
                        await WaitRunAsync(api, first, ct);
                    }
                }

                var pagePath = parse.GetValue(page)!;
                await WaitQuietAsync(Say, ct);
                var loadIdle = BenchPagesVerb.LoadAverage();
                var trainingClock = new Stopwatch();
                async Task<(string Status, T Measured)> RetrainAndMeasureAsync<T>(Func<Task<string>, Task<T>> measure)
                {
                    Say($"Training: the same load from the retrain request ({DateTime.UtcNow:HH:mm:ss.f} UTC) until its run ends …");
                    trainingClock.Start();
                    var run = WaitRunAsync(api, await RetrainAsync(api, retrainBody, ct), ct);
                    var measured = await measure(run);
                    var status = await run;
                    trainingClock.Stop();
                    return (status, measured);
                }
                Say($"Idle: {c} predict clients and one page client for {parse.GetValue(seconds)} s …");
                PhaseRow[] rows;
                string finished;
                if (wrk is not null)
                {
                    var scripts = Directory.CreateTempSubdirectory("bench-serve-wrk-");
                    try
                    {
                        var script = WrkLoad.WriteScript(scripts.FullName);
                        var cookie = jar.GetCookieHeader(new Uri(baseUrl));
                        (WrkLoad Predict, WrkLoad Page) Load(int? length) => (
                            WrkLoad.Start(wrk, "predict", baseUrl, c, script, length, WrkLoad.PredictEnvironment(key)),
                            WrkLoad.Start(wrk, pagePath, baseUrl.TrimEnd('/') + pagePath, 1, script, length, WrkLoad.PageEnvironment(cookie)));
                        async Task<(WrkFigures Predict, WrkFigures Page)> Both((WrkLoad Predict, WrkLoad Page) load, Func<WrkLoad, Task<WrkFigures>> end)
                        {
                            using (load.Predict)
                            using (load.Page)
                                return (await end(load.Predict), await end(load.Page));
                        }
                        // Warm-up: JIT, connection pools, the model cache.
                        await Both(Load(3), l => l.WaitAsync(ct));
                        var idle = await Both(Load(parse.GetValue(seconds)), l => l.WaitAsync(ct));
                        (finished, var during) = await RetrainAndMeasureAsync(async run =>
                        {
                            var load = Load(null);
                            try { await run; }
                            catch { using (load.Predict) using (load.Page) throw; }
                            return await Both(load, l => l.StopAsync(ct));
                        });
                        rows =
                        [
                            Row("predict", "idle", idle.Predict), Row("predict", "training", during.Predict),
                            Row(pagePath, "idle", idle.Page), Row(pagePath, "training", during.Page),
                        ];
                    }
                    finally
                    {
                        scripts.Delete(recursive: true);
                    }
                }
                else
                {
                    // Warm-up: JIT, connection pools, the model cache.
                    await MeasureAsync(api, pages, pagePath, c, Until(TimeSpan.FromSeconds(3)), ct);
                    var idle = await MeasureAsync(api, pages, pagePath, c, Until(TimeSpan.FromSeconds(parse.GetValue(seconds))), ct);
                    (finished, var during) = await RetrainAndMeasureAsync(run => MeasureAsync(api, pages, pagePath, c, () => !run.IsCompleted, ct));
                    rows =
                    [
                        Row("predict", "idle", idle.Predict, idle.Seconds), Row("predict", "training", during.Predict, during.Seconds),
                        Row(pagePath, "idle", idle.Page, idle.Seconds), Row(pagePath, "training", during.Page, during.Seconds),
                        // The server's own times for the same requests (Server-Timing), without this client's waits.
                        Row("predict", "idle", idle.Predict, idle.Seconds, server: true), Row("predict", "training", during.Predict, during.Seconds, server: true),
                        Row(pagePath, "idle", idle.Page, idle.Seconds, server: true), Row(pagePath, "training", during.Page, during.Seconds, server: true),
                    ];
                }
                var trainingSeconds = trainingClock.Elapsed.TotalSeconds;
                var loadDuring = BenchPagesVerb.LoadAverage();
                // As the client sees them (the target), then, with the .NET client, as the server timed them.
                var verdicts = rows.Chunk(4).SelectMany(r => new[] { Verdict(r[0].What, r[0], r[1]), Verdict(r[2].What, r[2], r[3]) }).ToArray();
                if (asJson)
                {
                    cli.WriteJson(new
                    {
                        Url = baseUrl, Client = wrk is null ? "dotnet" : "wrk", Concurrency = c, Rows = rows, Targets = verdicts, Run = finished, TrainingSeconds = trainingSeconds,
                        LoadAverageIdle = loadIdle, LoadAverageTraining = loadDuring, Cores = Environment.ProcessorCount,
                    });
                    return verdicts.Take(2).All(v => v.Met) ? 0 : 1;
                }
                var table = new Table().AddColumns("what", "phase", "requests", "req/s", "p50 ms", "p99 ms", "max ms");
                foreach (var r in rows)
                    table.AddRow(r.What, r.Phase, r.Requests.ToString("N0"), r.PerSecond.ToString("N0"), r.P50Ms.ToString("N2"), r.P99Ms.ToString("N2"), r.MaxMs.ToString("N1"));
                AnsiConsole.Write(table);
                foreach (var r in rows.Where(r => r.Slowest.Length > 0))
                    AnsiConsole.WriteLine($"Slowest {r.What} {r.Phase}: {string.Join(", ", r.Slowest)}");
                AnsiConsole.WriteLine($"Retrain: {finished} in {trainingSeconds:N1} s. Load average {loadIdle} before, {loadDuring} after ({Environment.ProcessorCount} cores; the client shares them).");
                foreach (var v in verdicts)
                    AnsiConsole.WriteLine($"Target {v.What}: training p99 {v.TrainingP99Ms:N1} ms ≤ {v.AllowedP99Ms:N1} ms (3 × idle p99 + 20) and max {v.TrainingMaxMs:N1} ms ≤ {TargetMaxMs} ms: {(v.Met ? "met" : "NOT met")}");
                return verdicts.Take(2).All(v => v.Met) ? 0 : 1;
            }
            finally
            {
                if (app is { HasExited: false })
                {
                    // SIGTERM, so the app stops its embedded cluster; killed only if it does not end.
                    Process.Start("kill", ["-TERM", app.Id.ToString()])?.WaitForExit();
                    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    try { await app.WaitForExitAsync(stop.Token); }
                    catch (OperationCanceledException) { app.Kill(entireProcessTree: true); }
                }
                app?.Dispose();
                if (niceBefore is int nice)
                {
                    // Lowering it again may need a privilege the raise did not; then the session keeps the client's value.
                    try { SetAutoGroupNice(nice); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                }
            }
        });
        return command;
    }

    public sealed record PhaseRow(string What, string Phase, int Requests, double PerSecond, double P50Ms, double P99Ms, double MaxMs, string[] Slowest);

    public sealed record TargetVerdict(string What, double IdleP99Ms, double TrainingP99Ms, double AllowedP99Ms, double TrainingMaxMs, bool Met);

    /// <summary>One request: when it was sent (seconds into its phase), how long it took here, and the server's own time
    /// (its <c>Server-Timing</c> header; NaN without one).</summary>
    private readonly record struct Sample(double AtSeconds, double Ms, double ServerMs);

    /// <summary>The app's <c>Server-Timing: app;dur=…</c>: its time from the request's arrival to its first byte.</summary>
    private static double ServerMs(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values))
            return double.NaN;
        foreach (var metric in values.SelectMany(v => v.Split(',')))
        {
            var parts = metric.Trim().Split(';');
            if (parts[0] == "app" && parts.Skip(1).FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal)) is { } dur
                && double.TryParse(dur[4..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms))
                return ms;
        }
        return double.NaN;
    }

    private static PhaseRow Row(string what, string phase, List<Sample> samples, double seconds, bool server = false)
    {
        if (server)
        {
            // The server's own time for the same requests: what the client adds on these shared cores is its own wait.
            samples = samples.Where(s => !double.IsNaN(s.ServerMs)).Select(s => s with { Ms = s.ServerMs }).ToList();
            what += " (server)";
        }
        if (samples.Count == 0)
            return new(what, phase, 0, 0, double.NaN, double.NaN, double.NaN, []);
        var ms = samples.Select(s => s.Ms).ToList();
        // The slowest few with their moment, to tell a steady tail from a stall at one point of the retrain.
        var slowest = samples.OrderByDescending(s => s.Ms).Take(SlowestShown).OrderBy(s => s.AtSeconds)
            .Select(s => $"{s.Ms:N0} ms at {s.AtSeconds:N1} s").ToArray();
        return new(what, phase, ms.Count, ms.Count / seconds, BenchPagesVerb.Percentile(ms, 0.5), BenchPagesVerb.Percentile(ms, 0.99), ms.Max(), slowest);
    }

    private static PhaseRow Row(string what, string phase, WrkFigures figures) =>
        new(what, phase, (int)figures.Requests, figures.Requests / figures.Seconds, figures.P50Ms, figures.P99Ms, figures.MaxMs, []);

    private static TargetVerdict Verdict(string what, PhaseRow idle, PhaseRow training)
    {
        var allowed = TargetFactor * idle.P99Ms + TargetSlackMs;
        return new(what, idle.P99Ms, training.P99Ms, allowed, training.MaxMs, training.P99Ms <= allowed && training.MaxMs <= TargetMaxMs);
    }

    /// <summary>
    /// Lowers this process's scheduling group to <c>--client-nice</c>, 10 by default (Linux autogroups; raising one's own
    /// nice needs no privilege).
    /// The load it generates stands for remote clients, whose CPU is not the server's: at equal weight, this verb's 16
    /// loops took half of the two cores from the app and its database. At nice 10 the app's group gets the CPU it
    /// wants and the loops what is left, and they send fewer requests when the app is busy, as slower clients would.
    /// </summary>
    /// <returns>The group's previous nice value, to put back at the end: the group is the whole terminal session's.</returns>
    private static int? YieldToTheApp(int nice, Action<string> say)
    {
        try
        {
            if (!File.Exists(AutoGroup))
                return null;
            // "/autogroup-123 nice 0"
            var before = int.Parse(File.ReadAllText(AutoGroup).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
            SetAutoGroupNice(nice);
            return before;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            say($"Could not lower this client's scheduling group ({e.Message}): it competes with the app for the CPU.");
            return null;
        }
    }

    private const string AutoGroup = "/proc/self/autogroup";

    private static void SetAutoGroupNice(int nice) => File.WriteAllText(AutoGroup, nice.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Waits until the machine is nearly idle (under a quarter of its CPU busy over 2 s, at most 15 minutes). The app
    /// recovers jobs its last run left unfinished: the scoring and maturing passes that follow a retrain (a million
    /// predictions of the previous run to mature) ran through the next run's idle and training phases, and its figures
    /// were of them, not of the retrain.
    /// </summary>
    private static async Task WaitQuietAsync(Action<string> say, CancellationToken ct)
    {
        if (!File.Exists("/proc/stat"))
            return;
        var clock = Stopwatch.StartNew();
        var said = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromMinutes(15))
        {
            var before = CpuTicks();
            await Task.Delay(2000, ct);
            var after = CpuTicks();
            var busy = (double)(after.Busy - before.Busy) / Math.Max(1, after.Total - before.Total);
            if (busy < 0.25)
                return;
            if (clock.Elapsed - said >= TimeSpan.FromSeconds(20))
            {
                said = clock.Elapsed;
                say($"Waiting for the machine to be quiet before measuring ({busy:P0} busy: the app's background passes?) …");
            }
        }
        say("Still busy after 15 minutes: measuring anyway.");
    }

    /// <summary>The machine's busy and total CPU time, in ticks, from the first line of /proc/stat.</summary>
    private static (long Busy, long Total) CpuTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray(); // guest time is already in user and nice
        var idle = fields[3] + fields[4]; // idle, iowait
        return (fields.Sum() - idle, fields.Sum());
    }

    private static Func<bool> Until(TimeSpan length)
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed < length;
    }

    /// <summary>Closed loops: each predict client sends its next request when the last answer is read; one page client likewise.</summary>
    private static async Task<(List<Sample> Predict, List<Sample> Page, double Seconds)> MeasureAsync(HttpClient api, HttpClient pages, string page, int clients, Func<bool> keepGoing, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var predictLoops = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var times = new List<Sample>();
            while (keepGoing())
            {
                var at = clock.Elapsed.TotalSeconds;
                var sw = Stopwatch.StartNew();
                using var response = await PredictAsync(api, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                times.Add(new(at, sw.Elapsed.TotalMilliseconds, ServerMs(response)));
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"/api/predict answered HTTP {(int)response.StatusCode}; the timings would not be of predictions.");
            }
            return times;
        }, ct)).ToArray();
        // The page client has a thread of its own and blocks on its socket, as a browser's network thread would: on the
        // thread pool its continuations queued behind the 16 predict loops', and that wait in this process counted as
        // the server's render time.
        var pageLoop = new TaskCompletionSource<List<Sample>>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                var times = new List<Sample>();
                while (keepGoing())
                {
                    var at = clock.Elapsed.TotalSeconds;
                    var sw = Stopwatch.StartNew();
                    using var response = pages.Send(new HttpRequestMessage(HttpMethod.Get, page), HttpCompletionOption.ResponseContentRead, ct);
                    times.Add(new(at, sw.Elapsed.TotalMilliseconds, ServerMs(response)));
                    if (response.StatusCode != HttpStatusCode.OK)
                        throw new InvalidOperationException($"GET {page} answered HTTP {(int)response.StatusCode}.");
                }
                pageLoop.SetResult(times);
            }
            catch (Exception e)
            {
                pageLoop.SetException(e);
            }
        }) { IsBackground = true, Name = "bench-serve page client" }.Start();
        var predict = (await Task.WhenAll(predictLoops)).SelectMany(t => t).ToList();
        return (predict, await pageLoop.Task, clock.Elapsed.TotalSeconds);
    }

    private static Task<HttpResponseMessage> PredictAsync(HttpClient api, CancellationToken ct) =>
        api.PostAsync("/api/predict", new StringContent(PredictBody, Encoding.UTF8, "application/json"), ct);

    private static async Task<string> RetrainAsync(HttpClient api, string body, CancellationToken ct)
    {
        using var response = await api.PostAsync("/api/retrain", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"POST /api/retrain answered HTTP {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("requestId").GetString()!;
    }

    /// <summary>Polls the run (on its own connection, not timed) until it ends; its final status.</summary>
    private static async Task<string> WaitRunAsync(HttpClient api, string requestId, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(500, ct);
            using var response = await api.GetAsync($"/api/runs/{requestId}", ct);
            if (response.StatusCode != HttpStatusCode.OK)
                continue;
            // Queued: {"requestId","status"}; once its row exists, the run's detail {"run": {"status", …}, …}.
            var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var status = (root.TryGetProperty("run", out var row) ? row : root).GetProperty("status").GetString();
            if (status is not ("queued" or "running"))
                return status!;
        }
    }

    internal static HttpClient Client(string baseUrl, int connections, bool cookies, CookieContainer? jar = null) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = cookies, CookieContainer = jar ?? new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(120),
        };

    /// <summary>This same executable (a verb, or the web app) as a child process.</summary>
    /// <param name="ownSession">
    /// In a session of its own (<c>setsid</c>), as a deployed app is apart from its clients: Linux schedules each session
    /// as a group (autogroups), so a child in this session would share one group's CPU with this verb's load loops,
    /// which no browser or load generator on another session does.
    /// </param>
    internal static Process Start(string[] args, Dictionary<string, string> environment, string? log, bool ownSession = false)
    {
        var self = Environment.ProcessPath!;
        const string SetSid = "/usr/bin/setsid";
        ownSession &= File.Exists(SetSid);
        var info = new ProcessStartInfo(ownSession ? SetSid : self) { UseShellExecute = false, RedirectStandardOutput = log is not null, RedirectStandardError = log is not null };
        if (ownSession)
            info.ArgumentList.Add(self); // setsid execs it in place: same pid, so signals and the exit code are the app's
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        var process = Process.Start(info)!;
        if (log is not null)
        {
            var writer = new StreamWriter(log) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }

    internal static async Task WaitHealthyAsync(string baseUrl, Process app, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (app.HasExited)
                throw new InvalidOperationException($"The app exited with code {app.ExitCode} before it was healthy; see its log.");
            try
            {
                using var response = await http.GetAsync("/health", ct);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException("The app was not healthy within 5 minutes.");
    }
}
