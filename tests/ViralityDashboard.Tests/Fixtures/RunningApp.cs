using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// The real app, started as a user starts it: its own process, no connection string, a fresh data
/// directory, so it creates and starts its embedded PostgreSQL and seeds demo data. Stopped with SIGTERM,
/// as Ctrl+C would, so its shutdown path runs too.
/// </summary>
public sealed class RunningApp : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    public RunningApp()
        : this(Path.Combine(Path.GetTempPath(), $"virality-app-{Guid.NewGuid():N}"))
    {
    }

    /// <param name="dataDirectory">Shared by several apps to start them on one data directory.</param>
    /// <param name="environment">Extra settings, e.g. <c>ConnectionStrings__Virality</c> for a server of the test's own.</param>
    internal RunningApp(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        DataDirectory = dataDirectory;
        _environment = environment ?? new Dictionary<string, string>();
    }

    /// <param name="environment">Extra settings for this instance, e.g. low rate limits.</param>
    internal RunningApp(IReadOnlyDictionary<string, string> environment)
        : this(Path.Combine(Path.GetTempPath(), $"virality-app-{Guid.NewGuid():N}"), environment)
    {
    }

    /// <summary>The owner's API key the app is started with (header X-Api-Key).</summary>
    public string ApiKey { get; } = $"test-key-{Guid.NewGuid():N}";

    public string DataDirectory { get; }

    /// <summary>The first value of one SQL command on the app's own cluster, joined (not restarted) through its data directory.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var server = await ViralityDashboard.Data.Embedded.EmbeddedPostgres.StartAsync(DataDirectory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using var conn = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
    public Uri BaseAddress { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string Output { get { lock (_output) return _output.ToString(); } }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(AppAssembly());
        psi.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Virality__DataDir"] = DataDirectory;
        psi.Environment["Virality__ApiKey"] = ApiKey;
        // The demo data reaches ~56 % test accuracy; a lower gate lets the browser tests produce accepted versions to activate and roll back.
        psi.Environment["Virality__Training__GateMinimumAccuracy"] = "0.5";
        // Every test signs in from 127.0.0.1: the shared instance must not throttle its own test run.
        psi.Environment["Virality__RateLimits__SignIn__PermitLimit"] = "1000";
        psi.Environment["Virality__RateLimits__Api__PermitLimit"] = "100000";
        // The flows are under test, not the models: the default 90 s auto search per retrain, on a 2-core machine that
        // runs several of these apps and browsers at once, pushed the shared app's two retrains past their 5-minute wait.
        psi.Environment["Virality__Training__AutoSearchSeconds"] = "15";
        // And one fixed trainer by default, not the time-boxed search: under load a 15 s search could score only LightGBM's
        // plain form, which loses to the growth gate on the demo's point-in-time rows, so the shared app's first retrain
        // was rejected now and then. LightGBM's ordinal form passes it (served 0.67) and gives the same model every run.
        // Fixtures that test the auto trainer set it back.
        psi.Environment["Virality__Training__Trainer"] = "lightgbm-ordinal";
        // The demo's shifted weeks make the drift trigger retrain once after the first retrain's outcomes mature, as a
        // fresh install should; here that extra run would hold the training lock and add a version under the flows'
        // feet. The drift rule has its own integration tests.
        psi.Environment["Virality__Monitoring__Drift__Enabled"] = "false";
        psi.Environment.Remove("ConnectionStrings__Virality");
        foreach (var (key, value) in _environment)
            psi.Environment[key] = value;
        psi.WorkingDirectory = Path.GetDirectoryName(AppAssembly())!;
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Http.GetAsync("/");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not answer within 3 minutes:\n{Output}");
    }

    /// <summary>The owner password the app printed once on its first start.</summary>
    public string OwnerPassword =>
        System.Text.RegularExpressions.Regex.Match(Output, "Sign in as 'owner' with password: (\\S+)") is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"The app printed no owner password:\n{Output}");

    /// <summary>Signs in through the real form (antiforgery token included), as a browser would.</summary>
    /// <param name="path">Where the form is posted: another spelling of <c>/account/login</c>, say. Sent as written (no dot-segment removal).</param>
    public Task<HttpResponseMessage> SignInAsync(HttpClient http, string userName, string password, string path = "/account/login") =>
        SignInThroughFormAsync(http, userName, password, path);

    /// <summary>Signs in on whichever app <paramref name="http"/> points at, through its real form (antiforgery token included).</summary>
    internal static async Task<HttpResponseMessage> SignInThroughFormAsync(HttpClient http, string userName, string password, string path = "/account/login")
    {
        var form = await http.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        return await http.PostAsync(new Uri(http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Runs a verb of the same executable against this app's data directory, as a user in a second terminal would.</summary>
    public async Task<string> RunCliAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, output, errors) = await RunCliForExitCodeAsync(args, environment);
        if (exitCode != 0)
            throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({exitCode}):\n{output}\n{errors}");
        return output;
    }

    /// <summary>As <see cref="RunCliAsync"/>, for verbs expected to fail: the exit code, standard output and standard error.</summary>
    public Task<(int ExitCode, string Output, string Errors)> RunCliForExitCodeAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        AppProcess.RunCliForExitCodeAsync([.. args, "--data-dir", DataDirectory], environment);

    /// <summary>SIGTERM, as a service manager stops it: the app stops, and with it the PostgreSQL cluster it started.</summary>
    public Task StopAsync() => SignalAsync("TERM");

    /// <summary>Ctrl+C (SIGINT); answers how long the process took to exit.</summary>
    public Task<TimeSpan> InterruptAsync() => SignalAsync("INT");

    private async Task<TimeSpan> SignalAsync(string signal)
    {
        if (_process is null || _process.HasExited)
            return TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app had not exited 60 s after SIG{signal}:\n{Output}");
        }
        return watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_process is { HasExited: false })
                _process.Kill(entireProcessTree: true);
            _process?.Dispose();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    /// <summary>The app's own build output (same configuration as this test build), where its static web assets manifest lives.</summary>
    internal static string AppAssembly()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // tests/ViralityDashboard.Tests/bin/<Configuration>/net10.0/
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "ViralityDashboard", "bin", configuration, framework, "ViralityDashboard.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("The app's build output was not found; build the solution first.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class RunningAppCollection : ICollectionFixture<RunningApp>
{
    public const string Name = "running app";
}
