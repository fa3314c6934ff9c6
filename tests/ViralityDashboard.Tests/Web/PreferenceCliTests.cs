using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Web;

/// <summary>
/// The preference verbs as a user runs them beside the dashboard: export the rows, train, predict from a file. In the
/// preference app, whose 300 demo ratings no other test changes: on the shared app a rating flow could change the rows
/// between another test's preference run and this one, and the gate then rightly refuses a retrain worse than the active one.
/// </summary>
[Collection(PreferenceAppCollection.Name)]
public sealed class PreferenceCliTests(RunningApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("virality-pref-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TrainsOnTheDemoRatingsThenScoresAnAnalysisFile()
    {
        var export = Path.Combine(_folder, "ratings.json");
        await app.RunCliAsync(["export-ratings", "--out", export]);
        using var rows = JsonDocument.Parse(await File.ReadAllTextAsync(export));
        Assert.True(rows.RootElement.GetArrayLength() >= 300, "the demo has 300 rated analyzed videos");
        var analysis = Path.Combine(_folder, "analysis.json");
        await File.WriteAllTextAsync(analysis, rows.RootElement[0].GetProperty("video").GetProperty("visual_analysis").GetRawText());

        var trained = JsonOutput(await app.RunCliAsync(["train", "--kind", "preference", "--json"]));
        Assert.Equal("completed", trained.GetProperty("status").GetString());

        var prediction = JsonOutput(await app.RunCliAsync(["predict", "--kind", "preference", "--analysis", analysis, "--json"]));
        Assert.InRange(prediction.GetProperty("score").GetDouble(), 0, 10);
        Assert.InRange(prediction.GetProperty("confidence").GetDouble(), 0.01, 1);
        Assert.StartsWith("pref-", prediction.GetProperty("versionTag").GetString());
        Assert.NotEqual(0, prediction.GetProperty("topFactors").GetArrayLength());
    }

    [Fact]
    public async Task ABrokenAnalysisFileIsRefusedNamingTheFileAndPlace()
    {
        var broken = Path.Combine(_folder, "broken.json");
        await File.WriteAllTextAsync(broken, "{\n  \"script\": {\"replicability\": \n}");

        var (exitCode, _, errors) = await app.RunCliForExitCodeAsync(["predict", "--kind", "preference", "--analysis", broken]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{broken}: invalid JSON at line 3", errors);
    }

    /// <summary>With --json, standard output is the one JSON document and nothing else (logs go to stderr).</summary>
    private static JsonElement JsonOutput(string output) => JsonDocument.Parse(output).RootElement;
}
