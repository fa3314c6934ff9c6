using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>
/// A configured ("external") server that its DBA stops and starts again under a running app (issue 10, point 3):
/// nothing in the app supervises it, and Npgsql reconnects by itself. The server is a cluster the test starts.
/// </summary>
[Trait("Category", "Chaos")]
[Collection(ChaosCollection.Name)]
public sealed class ExternalPostgresRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly string _serverDirectory = Path.Combine(Path.GetTempPath(), $"virality-external-{Guid.NewGuid():N}");
    private EmbeddedPostgres _server = null!;
    private RunningApp _app = null!;

    public async Task InitializeAsync()
    {
        _server = await EmbeddedPostgres.StartAsync(_serverDirectory, NullLogger.Instance);
        _app = new RunningApp(
            Path.Combine(Path.GetTempPath(), $"virality-app-{Guid.NewGuid():N}"),
            new Dictionary<string, string> { ["ConnectionStrings__Virality"] = _server.ConnectionString });
        await _app.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_serverDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    [Fact]
    public async Task QueriesWorkAgainAfterTheServerIsStoppedAndStarted()
    {
        using var api = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add("X-Api-Key", _app.ApiKey);
        (await api.GetAsync("/api/models")).EnsureSuccessStatusCode();

        await Postmaster.StopAsync(_server.ClusterDirectory);
        using (var down = await api.GetAsync("/api/models"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        }
        Assert.False(File.Exists(Path.Combine(_server.ClusterDirectory, "postmaster.pid")), "the app does not restart a server it did not start");

        Assert.True(await _server.EnsureRunningAsync(CancellationToken.None), "the server was started again");

        var deadline = DateTime.UtcNow + Limit;
        HttpStatusCode status;
        do
        {
            using var response = await api.GetAsync("/api/models");
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
                await Task.Delay(250);
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
        using var health = await _app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
