using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Cli;

/// <summary>The backtest verb beside the dashboard: a clear message and exit code for what the user got wrong.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class BacktestVerbTests(RunningApp app)
{
    [Fact]
    public async Task AnUnknownVersionIsNamedAndExitsOne()
    {
        var (exitCode, _, errors) = await app.RunCliForExitCodeAsync(["backtest", "--version", "eng-no-such-version"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: No engagement model version 'eng-no-such-version'.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadDateIsNamedAndExitsTwo()
    {
        var (exitCode, _, errors) = await app.RunCliForExitCodeAsync(["backtest", "--version", "eng-x", "--from", "yesterday"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: 'from' must be a date as YYYY-MM-DD, not 'yesterday'.", errors, StringComparison.Ordinal);
    }
}
