using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

[Collection(RunningAppCollection.Name)]
public sealed class ApiEndpointsTests(RunningApp app)
{
    private HttpClient Client(bool withKey)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        if (withKey)
            http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);
        return http;
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task HealthAnswersWithoutSigningIn()
    {
        using var http = Client(withKey: false);
        var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AliveAnswersWithoutSigningIn()
    {
        using var http = Client(withKey: false);
        var response = await http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api/models")]
    [InlineData("POST", "/api/retrain")]
    [InlineData("POST", "/api/models/rollback")]
    public async Task RefusesAnonymousCallsWith401NotARedirect(string method, string path)
    {
        using var http = Client(withKey: false);
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefusesAWrongApiKey()
    {
        using var http = Client(withKey: false);
        http.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/models")).StatusCode);
    }

    [Fact]
    public async Task ListsModelsWithTheApiKey()
    {
        using var http = Client(withKey: true);
        var response = await http.GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
    }

    [Fact]
    public async Task BadJsonIsAProblemNamingTheField()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsync("/api/predict", new StringContent("""{"views": "many", "likes": 1}""", Encoding.UTF8, "application/json"));
        Assert.True((await ErrorsAsync(response)).TryGetProperty("views", out _));
    }

    [Fact]
    public async Task NegativeCountsAreAProblemNamingTheField()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync("/api/predict", new { views = 1000, likes = -5, shares = 1, comments = 1 });
        Assert.Contains("likes", (await ErrorsAsync(response)).GetProperty("likes")[0].GetString());
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    public async Task NonFiniteDurationIsAProblemNamingTheField(string duration)
    {
        using var http = Client(withKey: true);
        var body = $$"""{"views": 1000, "likes": 5, "shares": 1, "comments": 1, "durationSeconds": {{duration}}}""";
        var response = await http.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Contains("finite", (await ErrorsAsync(response)).GetProperty("durationSeconds")[0].GetString());
    }

    [Fact]
    public async Task UnknownTrainerIsAProblemNamingTheField()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync("/api/retrain", new { trainer = "svm" });
        Assert.Contains("lbfgs", (await ErrorsAsync(response)).GetProperty("trainer")[0].GetString());
    }

    [Fact]
    public async Task ActivateNeedsAReason()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync("/api/models/some-tag/activate", new { reason = " " });
        Assert.True((await ErrorsAsync(response)).TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task APrePostingPredictionWithoutAnActivePrePostingVersionIsA409ProblemSayingWhy()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync("/api/predict", new { views = 0, likes = 0, shares = 0, comments = 0, authorFollowers = 12_000, featureSet = "pre-posting" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("No active pre-posting model", detail);
    }

    [Fact]
    public async Task AnUnknownFeatureSetIsAProblemNamingTheField()
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync("/api/predict", new { views = 1, likes = 0, shares = 0, comments = 0, featureSet = "after-lunch" });
        Assert.Contains("pre-posting", (await ErrorsAsync(response)).GetProperty("featureSet")[0].GetString());
    }
}
