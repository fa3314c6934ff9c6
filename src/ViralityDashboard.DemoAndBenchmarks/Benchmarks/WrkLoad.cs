using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// One <c>wrk</c> load (the client issue 10 measured with): a light C event loop, started in a session of its own at
/// normal priority, so it neither starves itself behind the app (as bench-serve's .NET loops did at nice 10) nor takes
/// the cores the app needs (as they did at nice 0). Runs for a fixed time, or until <see cref="StopAsync"/>: wrk stops on
/// SIGINT and still reports. Its Lua script (<c>bench-serve.lua</c>) prints one line of figures, parsed here.
/// </summary>
internal sealed class WrkLoad : IDisposable
{
    private const string ReportPrefix = "bench-serve:";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _what;

    private WrkLoad(Process process, string what)
    {
        _process = process;
        _what = what;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>wrk's path on PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk")).FirstOrDefault(File.Exists);

    public const string ScriptName = "bench-serve.lua";

    /// <summary>Writes the verb's Lua script (embedded in this assembly) to <paramref name="directory"/>; its path.</summary>
    public static string WriteScript(string directory)
    {
        var assembly = typeof(WrkLoad).Assembly;
        using var source = assembly.GetManifestResourceStream($"Benchmarks.{ScriptName}")
            ?? throw new InvalidOperationException($"The embedded script {ScriptName} is missing from {assembly.GetName().Name}.");
        var path = Path.Combine(directory, ScriptName);
        using var target = File.Create(path);
        source.CopyTo(target);
        return path;
    }

    /// <summary>The script's environment for a page's first render (GET, signed in with <paramref name="cookie"/>).</summary>
    public static Dictionary<string, string> PageEnvironment(string cookie) => new() { ["BENCH_PAGE"] = "1", ["BENCH_COOKIE"] = cookie };

    /// <summary>The script's environment for <c>POST /api/predict</c> with <paramref name="apiKey"/>.</summary>
    public static Dictionary<string, string> PredictEnvironment(string apiKey) => new() { ["BENCH_PAGE"] = "0", ["Virality__ApiKey"] = apiKey };

    /// <param name="what">The row's name ("predict", the page's path).</param>
    /// <param name="seconds">Its length; null: until <see cref="StopAsync"/>.</param>
    /// <param name="environment">What the script reads (the API key, the page's cookie).</param>
    public static WrkLoad Start(string wrk, string what, string url, int connections, string script, int? seconds, IReadOnlyDictionary<string, string> environment)
    {
        const string SetSid = "/usr/bin/setsid";
        var ownSession = File.Exists(SetSid);
        var info = new ProcessStartInfo(ownSession ? SetSid : wrk) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (ownSession)
            info.ArgumentList.Add(wrk);
        // A 30 s timeout: wrk's own 2 s would drop the slowest answers from its latencies instead of counting them.
        foreach (var a in new[] { "-t1", $"-c{connections}", $"-d{seconds ?? 24 * 3600}s", "--timeout", "30s", "-s", script, url })
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return new WrkLoad(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {wrk}."), what);
    }

    /// <summary>Waits for a fixed-length load to end; its figures.</summary>
    public async Task<WrkFigures> WaitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        return Figures();
    }

    /// <summary>Stops an open-ended load (SIGINT: wrk ends its connections and reports); its figures.</summary>
    public async Task<WrkFigures> StopAsync(CancellationToken ct)
    {
        if (!_process.HasExited)
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(ct);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(patience.Token);
        return Figures();
    }

    private WrkFigures Figures()
    {
        string output;
        lock (_output)
            output = _output.ToString();
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(ReportPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk ({_what}) exited with {_process.ExitCode} without its figures:\n{output.Trim()}");
        return WrkFigures.Parse(line[ReportPrefix.Length..], _what, output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}

/// <summary>What the scripts' <c>done</c> prints: <c>requests=… seconds=… p50=… p99=… max=… non200=… errors=… first=…</c>
/// (latencies in microseconds).</summary>
internal sealed record WrkFigures(long Requests, double Seconds, double P50Ms, double P99Ms, double MaxMs, long Non200, long Errors, string? FirstNon200)
{
    public static WrkFigures Parse(string line, string what, string output)
    {
        var fields = new Dictionary<string, string>();
        var first = line.IndexOf(" first=", StringComparison.Ordinal);
        string? firstNon200 = first < 0 ? null : line[(first + 7)..];
        foreach (var pair in (first < 0 ? line : line[..first]).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0)
                fields[pair[..eq]] = pair[(eq + 1)..];
        }
        double Number(string name) => fields.TryGetValue(name, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new InvalidOperationException($"wrk ({what}) printed no {name}:\n{output.Trim()}");
        var figures = new WrkFigures((long)Number("requests"), Number("seconds"), Number("p50") / 1000, Number("p99") / 1000, Number("max") / 1000,
            (long)Number("non200"), (long)Number("errors"), firstNon200);
        // A fast benchmark of 401s, 409s or dropped connections is no benchmark.
        if (figures.Non200 > 0)
            throw new InvalidOperationException($"{what}: {figures.Non200:N0} of {figures.Requests:N0} answers were not 200 (first: {figures.FirstNon200}).");
        if (figures.Requests == 0 && figures.Errors == 0)
            throw new InvalidOperationException($"{what}: no request was answered in {figures.Seconds:0.#} s:\n{output.Trim()}");
        if (figures.Errors > 0)
            throw new InvalidOperationException($"{what}: wrk counted {figures.Errors:N0} socket errors or timeouts:\n{output.Trim()}");
        return figures;
    }
}
