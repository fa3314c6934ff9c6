using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary><c>GET /api/runs/{id}</c>. A request id that is still queued answers "queued": see <c>Chaos/TrainingKillTests</c>.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class RunsApiTests(RunningApp app)
{
    [Fact]
    public async Task AnUnknownRequestIdIsA404ProblemNotQueuedForever()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);

        var response = await http.GetAsync($"/api/runs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }
}
