using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary><c>GET /api/backtest</c>: its errors are problem details that name what is wrong.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class BacktestApiTests(RunningApp app)
{
    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);
        return http;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task AnUnknownVersionIsNotFound()
    {
        using var http = Client();

        var problem = await ProblemAsync(await http.GetAsync("/api/backtest?version=eng-no-such-version"), HttpStatusCode.NotFound);

        Assert.Equal("No engagement model version 'eng-no-such-version'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABadDateIsABadRequestNamingIt()
    {
        using var http = Client();

        var problem = await ProblemAsync(await http.GetAsync("/api/backtest?version=eng-x&from=30.11.2026"), HttpStatusCode.BadRequest);

        Assert.Equal("'from' must be a date as YYYY-MM-DD, not '30.11.2026'.", problem.GetProperty("errors").GetProperty("from")[0].GetString());
    }

    [Fact]
    public async Task AMissingVersionIsABadRequestNamingIt()
    {
        using var http = Client();

        var problem = await ProblemAsync(await http.GetAsync("/api/backtest"), HttpStatusCode.BadRequest);

        Assert.StartsWith("'version' is required", problem.GetProperty("errors").GetProperty("version")[0].GetString());
    }
}
