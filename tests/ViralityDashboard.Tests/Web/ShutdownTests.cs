using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Web;

/// <summary>
/// Its own app instance (stopping it must not disturb the shared one), but in the shared collection so the
/// two apps never start side by side on two cores.
/// </summary>
[Collection(RunningAppCollection.Name)]
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly RunningApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task StoppingTheAppStopsTheEmbeddedPostgres()
    {
        var pidFile = Path.Combine(_app.DataDirectory, "pgdata", "postmaster.pid");
        Assert.True(File.Exists(pidFile), "PostgreSQL runs while the app runs");

        await _app.StopAsync();

        Assert.False(File.Exists(pidFile), $"PostgreSQL was left running after the app stopped:\n{_app.Output}");
    }
}
