using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class AccuracyGateTests
{
    [Fact]
    public void AcceptsACandidatePassingAllRules()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.72, 0.20, 0.71, "v3"));

        Assert.True(decision.Accepted);
        Assert.Equal(3, decision.Reasons.Count);
    }

    [Fact]
    public void RejectsCandidateBelowAccuracyGate()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.59, 0.20));

        Assert.False(decision.Accepted);
        Assert.Contains("below the 60.0% gate", decision.Reasons[0]);
    }

    [Fact]
    public void AcceptsCandidateExactlyAtTheThreshold()
    {
        Assert.True(AccuracyGate.Evaluate(new GateInput(0.60, 0.20)).Accepted);
    }

    [Fact]
    public void RejectsCandidateNotBeatingTheMajorityBaseline()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.65, 0.70));

        Assert.False(decision.Accepted);
        Assert.Contains("majority-class baseline", decision.Reasons[0]);
    }

    [Fact]
    public void RejectsCandidateWorseThanTheActiveVersionByMoreThanTheMargin()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.70, 0.20, 0.73, "v7"));

        Assert.False(decision.Accepted);
        Assert.Contains("v7", decision.Reasons[0]);
    }

    [Fact]
    public void AcceptsCandidateSlightlyWorseThanTheActiveVersionWithinTheMargin()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.715, 0.20, 0.73));

        Assert.True(decision.Accepted);
    }

    [Fact]
    public void UsesConfiguredThresholdAndMargin()
    {
        var options = new GateOptions(MinimumAccuracy: 0.30, MaximumRegression: 0.0);

        Assert.True(AccuracyGate.Evaluate(new GateInput(0.31, 0.20), options).Accepted);
        Assert.False(AccuracyGate.Evaluate(new GateInput(0.31, 0.20, 0.32), options).Accepted);
    }
}
