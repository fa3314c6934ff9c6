using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// One app process for the chaos tests, which kill it (<see cref="Kill"/>, as <c>kill -9</c>) and start another on the
/// same data directory or database. Unlike <see cref="RunningApp"/> it owns no data directory and is not a shared
/// fixture: the test says where its data lives.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private AppProcess(Process process, Uri baseAddress, string apiKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    public Uri BaseAddress { get; }
    /// <summary>Sends the owner's API key.</summary>
    public HttpClient Http { get; }
    public int Id => _process.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the app with these settings (environment variables) and waits until <c>/health</c> answers.</summary>
    public static async Task<AppProcess> StartAsync(string apiKey, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var app = Launch(apiKey, environment);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(4));
        while (DateTime.UtcNow < deadline)
        {
            if (app._process.HasExited)
                throw new InvalidOperationException($"The app exited with {app._process.ExitCode}:\n{app.Output}");
            try
            {
                using var response = await app.Http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                    return app;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"The app did not become healthy in time:\n{app.Output}");
    }

    /// <summary>Starts the app and returns at once, for tests that act during its startup.</summary>
    public static AppProcess Launch(string apiKey, IReadOnlyDictionary<string, string> environment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{RunningApp.FreePort()}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(RunningApp.AppAssembly());
        psi.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Virality__ApiKey"] = apiKey;
        psi.Environment.Remove("ConnectionStrings__Virality");
        foreach (var (key, value) in environment)
            psi.Environment[key] = value;
        psi.WorkingDirectory = Path.GetDirectoryName(RunningApp.AppAssembly())!;
        var app = new AppProcess(Process.Start(psi)!, baseAddress, apiKey);
        app._process.OutputDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        app._process.ErrorDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until the app's output holds <paramref name="text"/>; false when it exits or the time is up first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                return Output.Contains(text, StringComparison.Ordinal);
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary><c>kill -TERM</c>, as a service manager stops it; answers how long it took to exit, null when it had not within a minute.</summary>
    public async Task<TimeSpan?> TerminateAsync()
    {
        var clock = Stopwatch.StartNew();
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return clock.Elapsed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>POST /api/retrain; returns the request id.</summary>
    public async Task<Guid> RetrainAsync(object? body = null)
    {
        using var response = await Http.PostAsJsonAsync("/api/retrain", body ?? new { });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"retrain answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetGuid();
    }

    /// <summary>GET /api/runs/{id}: the status code and body.</summary>
    public async Task<(int Status, JsonElement Body)> RunAsync(string id)
    {
        using var response = await Http.GetAsync($"/api/runs/{id}");
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text));
    }

    /// <summary>
    /// Runs a verb of the app's executable with these settings (environment variables, e.g. the connection string of a
    /// server the app processes share), as an operator in another terminal would; throws when it fails.
    /// </summary>
    public static async Task<string> RunCliAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, output, errors) = await RunCliForExitCodeAsync(args, environment);
        if (exitCode != 0)
            throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({exitCode}):\n{output}\n{errors}");
        return output;
    }

    /// <summary>As <see cref="RunCliAsync"/>, for verbs expected to fail: the exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunCliForExitCodeAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(RunningApp.AppAssembly());
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment.Remove("ConnectionStrings__Virality");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    /// <summary>SIGTERM, as Ctrl+C; killed when it does not exit within a minute.</summary>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await term.WaitForExitAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // it did not stop in time: killed below
        }
        finally
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
