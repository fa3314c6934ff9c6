using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Cli;

/// <summary><c>monitor</c> run beside the monitoring app, on its data directory.</summary>
[Collection(MonitoringAppCollection.Name)]
public sealed class MonitorVerbTests(MonitoringApp monitoring)
{
    private RunningApp App => monitoring.App;

    [Fact]
    public async Task JsonIsTheIssuesShapeAndTheSameAsTheApis()
    {
        var output = await App.RunCliAsync(["monitor", "--json"]);

        var cli = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        var version = cli.GetProperty("versions")[0];
        Assert.Equal(MonitoringApp.Active, version.GetProperty("tag").GetString());
        Assert.Equal(JsonValueKind.Number, version.GetProperty("testAccuracy").ValueKind);
        var week = version.GetProperty("weeks")[0];
        foreach (var field in new[] { "matured", "accuracy", "macroF1", "kappa" })
            Assert.Equal(JsonValueKind.Number, week.GetProperty(field).ValueKind);
        Assert.Equal("2026-10-05", week.GetProperty("week").GetString());
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", App.ApiKey);
        var api = await http.GetFromJsonAsync<JsonElement>("/api/monitoring");
        Assert.Equal(Summary(api), Summary(cli));
    }

    [Fact]
    public async Task PrintsATableOfEachVersionsWeeksAndFlagsFewMatured()
    {
        var output = await App.RunCliAsync(["monitor", "--weeks", "2"]);

        Assert.Contains(MonitoringApp.Active, output);
        Assert.Contains(MonitoringApp.Older, output);
        Assert.Contains("2026-10-19", output);
        Assert.DoesNotContain("2026-10-05 ", output.Split(MonitoringApp.Older)[0]); // the active version's oldest of three weeks is past --weeks 2
        Assert.Contains("25*", output);
        Assert.Contains("fewer than 30 matured predictions", output);
    }

    [Fact]
    public async Task AnUnknownVersionIsAnErrorNamingIt()
    {
        var (exitCode, _, errors) = await App.RunCliForExitCodeAsync(["monitor", "--version", "eng-nope"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: No engagement model version is tagged 'eng-nope'", errors);
    }

    [Fact]
    public async Task WeeksBelowOneIsAUsageError()
    {
        var (exitCode, output, errors) = await App.RunCliForExitCodeAsync(["monitor", "--weeks", "0"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--weeks must be 1 or more", output + errors);
    }

    /// <summary>What both answers must agree on: each version's tag and test accuracy, each week's figures.</summary>
    private static string Summary(JsonElement report) => string.Join("\n", report.GetProperty("versions").EnumerateArray().Select(v =>
        $"{v.GetProperty("tag")} {v.GetProperty("testAccuracy")} " + string.Join(" ", v.GetProperty("weeks").EnumerateArray().Select(w =>
            $"{w.GetProperty("week")}:{w.GetProperty("matured")}:{w.GetProperty("accuracy")}:{w.GetProperty("macroF1")}:{w.GetProperty("kappa")}"))));
}
