using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Cli;

/// <summary>Issue 23 §5: <c>predict --hours-since-posting</c>, answered by the app's active early model.</summary>
[Collection(EarlyModelAppCollection.Name)]
public sealed class PredictVerbAgeTests(EarlyModelApp fixture)
{
    [Fact]
    public async Task TheHoursReachTheEarlyModelWhichPrintsItsTrainedAgesAndAWarningOutsideThem()
    {
        var output = await fixture.App.RunCliAsync(["predict", "--views", "25000", "--likes", "2100", "--comments", "40", "--shares", "85",
            "--posted-at", "2026-11-01T18:00:00Z", "--hours-since-posting", "500"]);

        Assert.Contains("(early)", output);
        Assert.Contains("Trained on snapshots 2 h–96 h old (median 20 h), point-in-time rows.", output);
        Assert.Contains("500 h old, older than any snapshot this model was trained on", output);
    }
}
