using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary><c>GET /api/monitoring</c> over realized weeks written into the monitoring app's database.</summary>
[Collection(MonitoringAppCollection.Name)]
public sealed class MonitoringApiTests(MonitoringApp monitoring) : IDisposable
{
    private readonly HttpClient _http = ApiKeyClient(monitoring.App);

    private static HttpClient ApiKeyClient(RunningApp app)
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);
        return http;
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task AnswersEachVersionNewestFirstWithItsTestAccuracyAndWeeksOldestFirst()
    {
        var report = await _http.GetFromJsonAsync<JsonElement>("/api/monitoring");

        var versions = report.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([MonitoringApp.Active, MonitoringApp.Older], versions.Select(v => v.GetProperty("tag").GetString()));
        var active = versions[0];
        Assert.Equal(MonitoringApp.ActiveTestAccuracy, active.GetProperty("testAccuracy").GetDouble(), 10);
        var weeks = active.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(["2026-10-05", "2026-10-12", "2026-10-19"], weeks.Select(w => w.GetProperty("week").GetString()));
        Assert.Equal([250, 250, 200], weeks.Select(w => w.GetProperty("matured").GetInt32()));
        Assert.Equal([0.8, 0.7, 0.5], weeks.Select(w => Math.Round(w.GetProperty("accuracy").GetDouble(), 10)));
        foreach (var w in weeks)
        {
            Assert.InRange(w.GetProperty("macroF1").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Number, w.GetProperty("kappa").ValueKind);
            Assert.InRange(w.GetProperty("accuracy").GetDouble(), w.GetProperty("accuracyLow").GetDouble(), w.GetProperty("accuracyHigh").GetDouble());
        }
    }

    [Fact]
    public async Task ReportsThePredictionLogsSizeAndTheRetentionInForce()
    {
        var log = (await _http.GetFromJsonAsync<JsonElement>("/api/monitoring")).GetProperty("log");

        // A small log is counted exactly; a large one is PostgreSQL's estimate (pg_class.reltuples), flagged as such.
        Assert.Equal((MonitoringApp.LoggedPredictions, false), (log.GetProperty("rows").GetInt64(), log.GetProperty("rowsIsEstimate").GetBoolean()));
        // Table, indexes and TOAST (pg_total_relation_size): at least a page.
        Assert.True(log.GetProperty("bytes").GetInt64() >= 8192, log.GetRawText());
        var retention = log.GetProperty("retention");
        Assert.Equal((true, 30, 90, 180), (retention.GetProperty("enabled").GetBoolean(), retention.GetProperty("servedDays").GetInt32(),
            retention.GetProperty("preferenceDays").GetInt32(), retention.GetProperty("maturedScoringDays").GetInt32()));
    }

    [Fact]
    public async Task OneVersionAndItsLastWeeksOnly()
    {
        var report = await _http.GetFromJsonAsync<JsonElement>($"/api/monitoring?version={MonitoringApp.Older}&weeks=1");

        var version = Assert.Single(report.GetProperty("versions").EnumerateArray());
        Assert.Equal(MonitoringApp.Older, version.GetProperty("tag").GetString());
        var week = Assert.Single(version.GetProperty("weeks").EnumerateArray());
        Assert.Equal(("2026-10-12", 25), (week.GetProperty("week").GetString(), week.GetProperty("matured").GetInt32()));
    }

    [Fact]
    public async Task AnUnknownVersionIsA404ProblemNamingIt()
    {
        var response = await _http.GetAsync("/api/monitoring?version=eng-nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'eng-nope'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("twelve")]
    public async Task WeeksBelowOneOrNotANumberIsA400NamingIt(string weeks)
    {
        var response = await _http.GetAsync($"/api/monitoring?weeks={weeks}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("1 or more", errors.GetProperty("weeks")[0].GetString());
    }

    [Fact]
    public async Task AViewerReadsItWithTheirSignInCookie()
    {
        var viewer = $"viewer-{Guid.NewGuid():N}"[..16];
        await monitoring.App.RunCliAsync(["users", "add", viewer, "--role", "viewer", "--password", "Viewer-Pass-2026"]);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = monitoring.App.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await monitoring.App.SignInAsync(http, viewer, "Viewer-Pass-2026")).StatusCode);

        var response = await http.GetAsync("/api/monitoring?weeks=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task NoCredentialsIs401()
    {
        using var anonymous = new HttpClient { BaseAddress = monitoring.App.BaseAddress };

        var response = await anonymous.GetAsync("/api/monitoring");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
