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

    private async Task<HttpResponseMessage> PredictAsync(string json)
    {
        using var http = Client(withKey: true);
        return await http.PostAsync("/api/predict", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    private const string Counts = "\"views\": 1000, \"likes\": 50, \"shares\": 5, \"comments\": 3";

    /// <summary>Issue 22: the errors named ViralityDashboard.Api.PredictRequest and IReadOnlyList`1.</summary>
    [Theory]
    [InlineData("[]", "body", "The body must be a JSON object.")]
    [InlineData("\"views\"", "body", "The body must be a JSON object.")]
    [InlineData("{" + Counts + ", \"hashtags\": \"fyp\"}", "hashtags", "'hashtags' must be a list of strings.")]
    [InlineData("{" + Counts + ", \"hashtags\": [\"fyp\", 7]}", "hashtags", "'hashtags' must be a list of strings.")]
    [InlineData("{\"views\": 1000, \"likes\": 1.5, \"shares\": 5, \"comments\": 3}", "likes", "'likes' must be a whole number.")]
    [InlineData("{\"views\": 1000, \"likes\": 1e30, \"shares\": 5, \"comments\": 3}", "likes", "'likes' must be a whole number.")]
    [InlineData("{" + Counts + ", \"durationSeconds\": [1]}", "durationSeconds", "'durationSeconds' must be a finite number.")]
    [InlineData("{" + Counts + ", \"soundOriginal\": \"yes\"}", "soundOriginal", "'soundOriginal' must be true or false.")]
    [InlineData("{" + Counts + ", \"postedAt\": \"yesterday\"}", "postedAt", "'postedAt' must be a date and time such as 2025-02-12T14:57:40Z.")]
    [InlineData("{" + Counts + ", \"description\": 5}", "description", "'description' must be a string.")]
    public async Task AWrongTypeIsNamedByItsJsonFieldInPlainWords(string json, string field, string message)
    {
        var response = await PredictAsync(json);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(message, (await ErrorsAsync(response)).GetProperty(field)[0].GetString());
        Assert.DoesNotContain("ViralityDashboard", text);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("`1", text);
    }

    [Theory]
    [InlineData("{\"views\": \"1000\", \"likes\": 50, \"shares\": 5, \"comments\": 3}", "views", "'views' must be a whole number.")]
    [InlineData("{" + Counts + ", \"authorFollowers\": \"12000\"}", "authorFollowers", "'authorFollowers' must be a whole number.")]
    [InlineData("{" + Counts + ", \"durationSeconds\": \"30\"}", "durationSeconds", "'durationSeconds' must be a finite number.")]
    public async Task NumbersSentAsStringsAreRefusedAsTheImportRefusesThem(string json, string field, string message)
    {
        var response = await PredictAsync(json);

        Assert.Equal(message, (await ErrorsAsync(response)).GetProperty(field)[0].GetString());
    }

    [Theory]
    [InlineData("views")]
    [InlineData("likes")]
    [InlineData("shares")]
    [InlineData("comments")]
    [InlineData("saves")]
    public async Task ACountAboveTheImportsLimitIsAProblemNamingTheField(string field)
    {
        var counts = new Dictionary<string, long> { ["views"] = 1000, ["likes"] = 50, ["shares"] = 5, ["comments"] = 3, [field] = 1_000_000_000_001 };

        var response = await PredictAsync(JsonSerializer.Serialize(counts));

        Assert.Equal($"'{field}' must be at most 1,000,000,000,000.", (await ErrorsAsync(response)).GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task FollowersAboveTheImportsLimitAreAProblemNamingTheField()
    {
        var response = await PredictAsync("{" + Counts + ", \"authorFollowers\": 10000000001}");

        Assert.Equal("'authorFollowers' must be at most 10,000,000,000.", (await ErrorsAsync(response)).GetProperty("authorFollowers")[0].GetString());
    }

    [Theory]
    [InlineData("2013-12-31T23:59:59Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("+2")]
    public async Task APostingTimeTheImportWouldRefuseIsAProblemNamingTheField(string postedAt)
    {
        var at = postedAt == "+2" ? DateTimeOffset.UtcNow.AddDays(2).ToString("O") : postedAt;

        var response = await PredictAsync("{" + Counts + $", \"postedAt\": \"{at}\"}}");

        Assert.Contains("'postedAt' must be between 2014-01-01 and", (await ErrorsAsync(response)).GetProperty("postedAt")[0].GetString());
    }

    [Fact]
    public async Task ARepeatedKeyIsAProblemNamingTheField()
    {
        var response = await PredictAsync("{\"views\": 1, \"views\": 1000000, \"likes\": 50, \"shares\": 5, \"comments\": 3}");

        Assert.Equal("'views' appears more than once.", (await ErrorsAsync(response)).GetProperty("views")[0].GetString());
    }

    [Fact]
    public async Task AnUnknownVideoIdIsA404Problem()
    {
        var response = await PredictAsync("{" + Counts + ", \"videoId\": \"no-such-video-7\"}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-video-7", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
