using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// One PostgreSQL server that several app processes use through <c>ConnectionStrings__Virality</c>, as a team runs the
/// dashboard: no embedded cluster per app, each app a database on the server (created by its first start's migration)
/// and a HOME of its own, as separate machines or containers have.
/// </summary>
public sealed class SharedServer : IAsyncDisposable
{
    /// <summary>The owner password every database's first start creates its owner account with.</summary>
    public const string OwnerPassword = "Owner-Pass-2026";

    private readonly string _directory;

    private SharedServer(string directory, EmbeddedPostgres server)
    {
        _directory = directory;
        Server = server;
    }

    public EmbeddedPostgres Server { get; }
    public string ApiKey { get; } = $"shared-{Guid.NewGuid():N}";

    public static async Task<SharedServer> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"virality-shared-{Guid.NewGuid():N}");
        return new SharedServer(directory, await EmbeddedPostgres.StartAsync(Path.Combine(directory, "cluster"), NullLogger.Instance));
    }

    /// <summary>The connection string of a database on the server; <paramref name="applicationName"/> names its sessions.</summary>
    public string ConnectionString(string database, string? applicationName = null) =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = database, ApplicationName = applicationName }.ConnectionString;

    /// <summary>A fresh, empty HOME directory (where ASP.NET Core kept its key ring before it moved into the database).</summary>
    public string NewHome()
    {
        var home = Path.Combine(_directory, $"home-{Guid.NewGuid():N}"[..13]);
        Directory.CreateDirectory(home);
        return home;
    }

    /// <summary>The settings of an app on <paramref name="database"/> with this HOME, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Settings(string database, string home, string? applicationName = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Virality"] = ConnectionString(database, applicationName),
            ["HOME"] = home,
            ["Virality__Owner__Password"] = OwnerPassword,
            // Tests sign in often from 127.0.0.1.
            ["Virality__RateLimits__SignIn__PermitLimit"] = "1000",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            settings[key] = value;
        return settings;
    }

    /// <summary>Starts an app process with these settings and waits until it is healthy.</summary>
    public Task<AppProcess> StartAppAsync(IReadOnlyDictionary<string, string> settings) => AppProcess.StartAsync(ApiKey, settings);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}

/// <summary>A browser's cookie jar for apps on one host: cookies are per host, not per port, as browsers keep them.</summary>
public sealed class CookieJar : IDisposable
{
    private readonly HttpClientHandler _handler = new() { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false };
    private readonly List<HttpClient> _clients = [];

    /// <summary>A client for this app that sends (and keeps) this browser's cookies.</summary>
    public HttpClient For(AppProcess app)
    {
        var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(http);
        return http;
    }

    /// <summary>Another jar holding the same cookies, as a second browser would hold a copied session cookie.</summary>
    public CookieJar Copy()
    {
        var copy = new CookieJar();
        copy._handler.CookieContainer.Add(_handler.CookieContainer.GetAllCookies());
        return copy;
    }

    /// <summary>Signs in on <paramref name="app"/> through its form; throws unless it redirected into the app.</summary>
    public async Task SignInAsync(AppProcess app, string userName, string password)
    {
        using var response = await RunningApp.SignInThroughFormAsync(For(app), userName, password);
        var location = response.Headers.Location;
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect || location is null || (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString) != "/")
            throw new InvalidOperationException($"Signing in as {userName} answered {(int)response.StatusCode} → {response.Headers.Location}");
    }

    public void Dispose()
    {
        foreach (var client in _clients)
            client.Dispose();
        _handler.Dispose();
    }
}
