using System.Diagnostics;
using System.Net;
using ViralityDashboard.Tests.Fixtures;
using Xunit.Abstractions;

namespace ViralityDashboard.Tests.Account;

/// <summary>
/// Three app processes on one PostgreSQL server: two on database one, each with its own HOME (two machines or
/// containers), and one on database two that shares the first one's HOME (a second dashboard of the same OS user).
/// </summary>
public sealed class SessionApps : IAsyncLifetime
{
    public const string DatabaseOne = "virality_one";
    public const string DatabaseTwo = "virality_two";
    /// <summary>Database one's apps recheck sessions every second, so a removal shows at once.</summary>
    public const int RecheckSeconds = 1;

    private readonly Dictionary<string, string> _fastRecheck = new() { ["Virality__Accounts__SessionRecheckSeconds"] = RecheckSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public SharedServer Shared { get; private set; } = null!;
    public AppProcess One { get; private set; } = null!;
    public AppProcess OneAgain { get; private set; } = null!;
    public AppProcess Two { get; private set; } = null!;

    /// <summary>The settings of a CLI verb on database one.</summary>
    public Dictionary<string, string> CliOnOne => Shared.Settings(DatabaseOne, Shared.NewHome());

    public async Task InitializeAsync()
    {
        Shared = await SharedServer.StartAsync();
        var home = Shared.NewHome();
        One = await Shared.StartAppAsync(Shared.Settings(DatabaseOne, home, extra: _fastRecheck));
        // Database two keeps the default recheck interval: a refusal there within the test's first minute is the key ring's.
        var oneAgain = Shared.StartAppAsync(Shared.Settings(DatabaseOne, Shared.NewHome(), extra: _fastRecheck));
        var two = Shared.StartAppAsync(Shared.Settings(DatabaseTwo, home));
        OneAgain = await oneAgain;
        Two = await two;
    }

    /// <summary>Stops the second app of database one and starts it again with an empty HOME, as a container restarts.</summary>
    public async Task RestartOneAgainAsync()
    {
        await OneAgain.DisposeAsync();
        OneAgain = await Shared.StartAppAsync(Shared.Settings(DatabaseOne, Shared.NewHome(), extra: _fastRecheck));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { One, OneAgain, Two })
        {
            if (app is not null)
                await app.DisposeAsync();
        }
        if (Shared is not null)
            await Shared.DisposeAsync();
    }
}

/// <summary>
/// Issue 22 §2: a sign-in belongs to the database, not to the machine or OS user that served it. Every instance of one
/// database accepts it, across restarts with an empty HOME; no instance of another database does; removing the user
/// ends it on every instance within the session recheck interval.
/// </summary>
public sealed class SessionTests(SessionApps apps, ITestOutputHelper output) : IClassFixture<SessionApps>
{
    [Fact]
    public async Task ACookieFromOneInstanceWorksOnAnotherInstanceOfTheSameDatabase()
    {
        using var jar = new CookieJar();
        await jar.SignInAsync(apps.One, "owner", SharedServer.OwnerPassword);

        var other = jar.For(apps.OneAgain);
        var api = await other.GetAsync("/api/models");
        var page = await other.GetAsync("/");
        output.WriteLine($"cookie of instance 1 on instance 2 of the same database: /api/models {(int)api.StatusCode}, / {(int)page.StatusCode}");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task ACookieFromAnotherDatabaseIsRefusedEvenOnTheSameHome()
    {
        using var jar = new CookieJar();
        await jar.SignInAsync(apps.One, "owner", SharedServer.OwnerPassword);

        var other = jar.For(apps.Two);
        var api = await other.GetAsync("/api/models");
        var page = await other.GetAsync("/");
        output.WriteLine($"cookie of database one on database two: /api/models {(int)api.StatusCode}, / {(int)page.StatusCode} → {page.Headers.Location}");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login", page.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task RemovingAUserEndsItsSessionsOnEveryInstanceWithinTheRecheckInterval()
    {
        var viewer = $"leaver-{Guid.NewGuid():N}"[..14];
        await AppProcess.RunCliAsync(["users", "add", viewer, "--role", "viewer", "--password", "Viewer-Pass-2026"], apps.CliOnOne);
        using var onOne = new CookieJar();
        using var onOneAgain = new CookieJar();
        await onOne.SignInAsync(apps.One, viewer, "Viewer-Pass-2026");
        await onOneAgain.SignInAsync(apps.OneAgain, viewer, "Viewer-Pass-2026");
        Assert.Equal(HttpStatusCode.OK, (await onOne.For(apps.One).GetAsync("/api/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onOneAgain.For(apps.OneAgain).GetAsync("/api/models")).StatusCode);

        await AppProcess.RunCliAsync(["users", "remove", viewer], apps.CliOnOne);
        // A page on one instance, the API on the other: each answers for itself.
        var page = await WaitForRefusalAsync(onOne.For(apps.One), "/", TimeSpan.FromSeconds(30));
        var api = await WaitForRefusalAsync(onOneAgain.For(apps.OneAgain), "/api/models", TimeSpan.FromSeconds(30));
        output.WriteLine($"removed viewer's cookie (recheck every {SessionApps.RecheckSeconds} s): instance 1's page answered " +
            $"{(int)page.Status} → {page.Location} {page.After.TotalSeconds:F1} s after the removal; instance 2's API answered {(int)api.Status} " +
            $"{api.After.TotalSeconds:F1} s after the page's answer");

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal("/account/login", page.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, api.Status);
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task AnOpenPageOfARemovedUserFallsBackToTheSignInForm()
    {
        var viewer = $"open-{Guid.NewGuid():N}"[..12];
        await AppProcess.RunCliAsync(["users", "add", viewer, "--role", "viewer", "--password", "Viewer-Pass-2026"], apps.CliOnOne);
        var browser = new BrowserSession();
        await browser.InitializeAsync();
        try
        {
            var page = await browser.NewPageAsync(apps.One.BaseAddress);
            await page.GotoAsync("/account/login");
            await BrowserSession.SubmitSignInAsync(page, viewer, "Viewer-Pass-2026");
            // The circuit is up: from now on the page talks over its WebSocket and never sends the cookie again.
            await BrowserSession.GotoInteractiveAsync(page, "/");

            await AppProcess.RunCliAsync(["users", "remove", viewer], apps.CliOnOne);
            var removed = Stopwatch.StartNew();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login", new() { Timeout = 30_000 });
            output.WriteLine($"the removed viewer's open page went to the sign-in form {removed.Elapsed.TotalSeconds:F1} s after the removal (recheck every {SessionApps.RecheckSeconds} s)");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASessionOutlivesARestartOnAnEmptyHome()
    {
        using var jar = new CookieJar();
        await jar.SignInAsync(apps.OneAgain, "owner", SharedServer.OwnerPassword);
        Assert.Equal(HttpStatusCode.OK, (await jar.For(apps.OneAgain).GetAsync("/api/models")).StatusCode);

        await apps.RestartOneAgainAsync();

        var restarted = jar.For(apps.OneAgain);
        var api = await restarted.GetAsync("/api/models");
        var page = await restarted.GetAsync("/");
        output.WriteLine($"cookie after a restart with an empty HOME: /api/models {(int)api.StatusCode}, / {(int)page.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>Polls <paramref name="path"/> until it stops answering 200 or the time is up: the last answer and when it came.</summary>
    private static async Task<(HttpStatusCode Status, Uri? Location, TimeSpan After)> WaitForRefusalAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK || watch.Elapsed > timeout)
                return (response.StatusCode, response.Headers.Location, watch.Elapsed);
            await Task.Delay(100);
        }
    }
}
