using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

[Collection(PreferenceAppCollection.Name)]
public sealed class PreferencePredictApiTests(RunningApp app)
{
    private HttpClient Client()
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
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
    public async Task AnAnalysisGetsAScoreAndConfidenceFromTheActivePreferenceModel()
    {
        var tag = await PreferenceAppCollection.EnsureTrainedAsync(app);
        using var http = Client();
        var analysis = JsonSerializer.Deserialize<JsonElement>("""
            {"script":{"replicability":{"score":8.5}},"production":{"shotComplexity":2},"casting":{"actingSkillRequired":3},
             "standalone":{"worksWithoutContext":true},"trends":{"memeDependent":false},"comedyStyle":"deadpan"}
            """);

        var response = await http.PostAsJsonAsync("/api/predict/preference", new { analysis });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(tag, body.GetProperty("versionTag").GetString());
        Assert.InRange(body.GetProperty("score").GetDouble(), 0, 10);
        var confidence = body.GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0, 1);
        // A handful of keys covers a small share of the model's features: confidence = coverage × R².
        Assert.Equal(body.GetProperty("coverage").GetDouble() * body.GetProperty("testR2").GetDouble(), confidence, 9);
        Assert.Equal(64, body.GetProperty("inputsHash").GetString()!.Length);
    }

    [Theory]
    [InlineData("""{"analysis": [1, 2]}""")]
    [InlineData("""{"analysis": "not an object"}""")]
    [InlineData("""{"version": null}""")]
    [InlineData("""{"analysis": {"script": {"score": 8,}}}""")]
    public async Task AMalformedAnalysisIsAProblemNamingAnalysis(string body)
    {
        using var http = Client();

        var response = await http.PostAsync("/api/predict/preference", new StringContent(body, Encoding.UTF8, "application/json"));

        var errors = await ErrorsAsync(response);
        Assert.Contains(errors.EnumerateObject(), e => e.Name.StartsWith("analysis", StringComparison.Ordinal));
    }
}
