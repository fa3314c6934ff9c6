using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary>Issue 23 §5: <c>hoursSincePosting</c> on <c>POST /api/predict</c>, answered by a model of the early set.</summary>
[Collection(EarlyModelAppCollection.Name)]
public sealed class PredictAgeApiTests(EarlyModelApp fixture)
{
    private HttpClient Script()
    {
        var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", fixture.App.ApiKey);
        return http;
    }

    private static async Task<JsonElement> PredictAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/predict", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    [Fact]
    public async Task TheHoursSentReachTheAgeFeatureAndTheAnswerSaysWhichAgesTheModelWasTrainedOn()
    {
        using var http = Script();

        var p = await PredictAsync(http, new { views = 25_000, likes = 2_100, shares = 85, comments = 40, postedAt = "2026-11-01T18:00:00Z", hoursSincePosting = 48, featureSet = "early" });

        Assert.Equal("early", p.GetProperty("featureSet").GetString());
        Assert.Equal(Math.Log10(1 + 48) / 4, p.GetProperty("features").GetProperty("logAgeHours").GetDouble(), 5);
        Assert.Equal(0, p.GetProperty("features").GetProperty("ageFromFirstSeen").GetDouble());
        // Explained like any other input.
        Assert.Contains(p.GetProperty("contributions").EnumerateArray(), c => c.GetProperty("feature").GetString() == "logAgeHours");
        var age = p.GetProperty("age");
        Assert.Equal(48, age.GetProperty("hours").GetDouble(), 6);
        Assert.Equal("point-in-time", age.GetProperty("trained").GetProperty("mode").GetString());
        Assert.Equal((EarlyModelApp.MinAgeHours, EarlyModelApp.MaxAgeHours),
            (age.GetProperty("trained").GetProperty("minAgeHours").GetDouble(), age.GetProperty("trained").GetProperty("maxAgeHours").GetDouble()));
        Assert.Equal("Trained on snapshots 2 h–96 h old (median 20 h), point-in-time rows.", age.GetProperty("trainedFor").GetString());
        Assert.Equal(JsonValueKind.Null, age.GetProperty("warning").ValueKind);
    }

    [Fact]
    public async Task AnAgeOutsideTheTrainedOnesIsAnsweredWithAWarning()
    {
        using var http = Script();

        var p = await PredictAsync(http, new { views = 25_000, likes = 2_100, shares = 85, comments = 40, postedAt = "2026-11-01T18:00:00Z", hoursSincePosting = 500, featureSet = "early" });

        Assert.Contains("500 h old, older than any snapshot this model was trained on (2 h–96 h)", p.GetProperty("age").GetProperty("warning").GetString());
    }

    [Fact]
    public async Task WithoutHoursTheAgeRunsFromThePostingTimeToNow()
    {
        using var http = Script();
        var posted = DateTimeOffset.UtcNow.AddHours(-10).ToString("O", CultureInfo.InvariantCulture);

        var p = await PredictAsync(http, new { views = 25_000, likes = 2_100, shares = 85, comments = 40, postedAt = posted, featureSet = "early" });

        Assert.InRange(p.GetProperty("age").GetProperty("hours").GetDouble(), 10, 11);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("100001")]
    public async Task AnAgeNoVideoCanHaveIsAProblemNamingTheField(string hours)
    {
        using var http = Script();
        var body = $$"""{"views": 1000, "likes": 5, "shares": 1, "comments": 1, "hoursSincePosting": {{hours}}}""";

        var response = await http.PostAsync("/api/predict", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("'hoursSincePosting' must be from 0 to 100,000 hours (about 11 years).", errors.GetProperty("hoursSincePosting")[0].GetString());
    }
}
