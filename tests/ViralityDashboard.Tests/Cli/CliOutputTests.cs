using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Cli;

/// <summary>What a verb prints when its output goes to a pipe or a file, as the tests (and scripts) read it.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class CliOutputTests(RunningApp app)
{
    [Fact]
    public async Task PipedOutputKeepsLongLinesWholeAndCalibrateNamesItsWeightsInWords()
    {
        var output = await app.RunCliAsync(["calibrate"]);

        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("Calibration baseline ", StringComparison.Ordinal));
        Assert.True(line.TrimEnd().Length > 80, $"the line is longer than a terminal's 80 columns: {line}");
        Assert.EndsWith("WES weights 1/2/3/2 (likes/comments/shares/saves)", line.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("WesWeights {", output, StringComparison.Ordinal);
    }
}
