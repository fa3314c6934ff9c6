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

    /// <summary>A whole demo analysis, as the ratings export writes it (a handful of keys is now refused: see below).</summary>
    private async Task<JsonElement> DemoAnalysisAsync()
    {
        var file = Path.Combine(app.DataDirectory, $"ratings-{Guid.NewGuid():N}.json");
        await app.RunCliAsync(["export-ratings", "--out", file]);
        using var exported = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return exported.RootElement[0].GetProperty("video").GetProperty("visual_analysis").Clone();
    }

    [Fact]
    public async Task AnAnalysisGetsAScoreAndConfidenceFromTheActivePreferenceModel()
    {
        var tag = await PreferenceAppCollection.EnsureTrainedAsync(app);
        using var http = Client();
        var analysis = await DemoAnalysisAsync();

        var response = await http.PostAsJsonAsync("/api/predict/preference", new { analysis });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(tag, body.GetProperty("versionTag").GetString());
        Assert.InRange(body.GetProperty("score").GetDouble(), 0, 10);
        var confidence = body.GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0, 1);
        // Confidence = coverage × R²; a real analysis carries at least the minimum coverage.
        Assert.InRange(body.GetProperty("coverage").GetDouble(), 0.5, 1);
        Assert.Equal(Math.Clamp(body.GetProperty("coverage").GetDouble() * body.GetProperty("testR2").GetDouble(), 0, 1), confidence, 9);
        Assert.Equal(64, body.GetProperty("inputsHash").GetString()!.Length);
    }

    [Theory]
    [InlineData("""{"foo": 1}""")]
    [InlineData("""{"script": {"replicability": {"score": 8.5}}, "comedyStyle": "deadpan"}""")]
    public async Task JsonThatIsNotAVisualAnalysisIsA400SayingWhyNotAScoreAtZeroConfidence(string analysis)
    {
        await PreferenceAppCollection.EnsureTrainedAsync(app);
        using var http = Client();

        var response = await http.PostAsync("/api/predict/preference", new StringContent($$"""{"analysis": {{analysis}}}""", Encoding.UTF8, "application/json"));

        var message = (await ErrorsAsync(response)).GetProperty("analysis")[0].GetString()!;
        Assert.Matches(@"^The analysis carries \d of the model's \d+ features \(\d+% coverage\); a prediction needs at least 50%", message);
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
