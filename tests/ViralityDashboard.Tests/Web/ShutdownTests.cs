using System.Net.Sockets;
using System.Text;
using ViralityDashboard.Tests.Fixtures;
using Xunit.Abstractions;

namespace ViralityDashboard.Tests.Web;

/// <summary>
/// Its own app instance (stopping it must not disturb the shared one), but in the shared collection so the
/// two apps never start side by side on two cores.
/// </summary>
[Collection(RunningAppCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RunningApp _app = new();

    private string PidFile => Path.Combine(_app.DataDirectory, "pgdata", "postmaster.pid");

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task StoppingTheAppStopsTheEmbeddedPostgres()
    {
        Assert.True(File.Exists(PidFile), "PostgreSQL runs while the app runs");

        await _app.StopAsync();

        Assert.False(File.Exists(PidFile), $"PostgreSQL was left running after the app stopped:\n{_app.Output}");
    }

    /// <remarks>
    /// The request issue 10 §7 saw hold the shutdown: a <c>POST /_blazor/disconnect</c> that never finishes (here its
    /// body never arrives). Kestrel's graceful stop waits for it until the host's shutdown timeout: 30 s by default,
    /// 1 s now. 15 s is a behaviour bound between the two, not a timing.
    /// </remarks>
    [Fact]
    public async Task ARequestThatNeverFinishesDoesNotHoldTheShutdown()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_app.BaseAddress.Host, _app.BaseAddress.Port);
        var stream = client.GetStream();
        var head = $"POST /_blazor/disconnect HTTP/1.1\r\nHost: {_app.BaseAddress.Authority}\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncircuitId=";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        await Task.Delay(500); // the server has the request and waits for the rest of its body

        var exit = await _app.InterruptAsync();

        output.WriteLine($"exit after SIGINT with a request in flight: {exit.TotalSeconds:F2} s");
        Assert.True(exit < TimeSpan.FromSeconds(15), $"the app took {exit.TotalSeconds:F1} s to exit:\n{_app.Output}");
        Assert.False(File.Exists(PidFile), $"PostgreSQL was left running after the app stopped:\n{_app.Output}");
    }

    /// <remarks>
    /// A closed tab leaves a <c>POST /_blazor/disconnect</c> in flight; before the fix Kestrel's graceful shutdown
    /// waited the host's whole 30 s for it. 15 s is a behaviour bound (the fixed app takes about a second), not a timing.
    /// </remarks>
    [Fact]
    [Trait("Category", "Browser")]
    public async Task InterruptingAfterTabsClosedExitsPromptlyAndStopsPostgres()
    {
        var browser = new BrowserSession();
        await browser.InitializeAsync();
        TimeSpan exit;
        try
        {
            var page = await browser.SignInAsOwnerAsync(_app);
            foreach (var path in new[] { "/models", "/training" })
            {
                var tab = await page.Context.NewPageAsync();
                await BrowserSession.GotoInteractiveAsync(tab, path);
                await tab.CloseAsync(new() { RunBeforeUnload = true });
            }
            await Task.Delay(500); // the closed tabs' disconnect beacons reach the server

            // The browser stays open, as it does for a user who closed one tab: its connections stay up too.
            exit = await _app.InterruptAsync();
        }
        finally
        {
            await browser.DisposeAsync();
        }

        output.WriteLine($"exit after SIGINT with closed tabs: {exit.TotalSeconds:F2} s");
        Assert.True(exit < TimeSpan.FromSeconds(15), $"the app took {exit.TotalSeconds:F1} s to exit:\n{_app.Output}");
        Assert.False(File.Exists(PidFile), $"PostgreSQL was left running after the app stopped:\n{_app.Output}");
    }
}
