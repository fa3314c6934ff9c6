using System.Net;
using System.Text.Json;
using Xunit.Abstractions;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>Two apps started at the same moment on one fresh data directory (issue 10, point 4).</summary>
[Trait("Category", "Chaos")]
[Collection(ChaosCollection.Name)]
public sealed class ConcurrentFirstStartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string DataDirectory = Path.Combine(Path.GetTempPath(), $"virality-twostarts-{Guid.NewGuid():N}");
    private readonly RunningApp _first = new(DataDirectory);
    private readonly RunningApp _second = new(DataDirectory);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task BothComeUpAndTheDemoDataAndTheOwnerExistOnce()
    {
        await Task.WhenAll(_first.InitializeAsync(), _second.InitializeAsync());

        foreach (var app in new[] { _first, _second })
        {
            using var health = await app.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        using var stats = LastJsonLine(await _first.RunCliAsync(["stats", "--json"]));
        output.WriteLine(stats.RootElement.ToString());
        Assert.Equal(5_000, stats.RootElement.GetProperty("videos").GetInt64());
        Assert.Equal(340, stats.RootElement.GetProperty("analyzedVideos").GetInt64());
        Assert.Equal(300, stats.RootElement.GetProperty("ratings").GetInt64());
        using var users = LastJsonLine(await _second.RunCliAsync(["users", "list", "--json"]));
        Assert.Single(users.RootElement.EnumerateArray(), u => u.GetProperty("role").GetString() == "Owner");
        var printedPasswords = new[] { _first.Output, _second.Output }.Count(o => o.Contains("Sign in as 'owner' with password:", StringComparison.Ordinal));
        Assert.Equal(1, printedPasswords);
    }

    private static JsonDocument LastJsonLine(string text) =>
        JsonDocument.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last());
}
