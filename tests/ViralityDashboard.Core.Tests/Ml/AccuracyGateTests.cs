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

    [Fact]
    public void TheMacroF1GateNeedsTheLiftOverTheStratifiedRandomBaselineNotTheAccuracyThreshold()
    {
        var options = new GateOptions(MacroF1: new MacroF1GateOptions(MinimumLift: 0.05));

        var passes = AccuracyGate.Evaluate(new GateInput(0.47, 0.20, CandidateMacroF1: 0.43, StratifiedRandomMacroF1: 0.21), options);
        var fails = AccuracyGate.Evaluate(new GateInput(0.47, 0.20, CandidateMacroF1: 0.25, StratifiedRandomMacroF1: 0.21), options);

        Assert.True(passes.Accepted);
        Assert.False(fails.Accepted);
        Assert.Equal("Test macro-F1 0.2500 does not beat the stratified-random baseline (0.2100) by 0.05 (needs 0.2600).", fails.Reasons[0]);
    }

    [Fact]
    public void TheMacroF1GateRejectsACandidateBelowTheActiveVersionOfItsSet()
    {
        var options = new GateOptions(MacroF1: new MacroF1GateOptions());

        var decision = AccuracyGate.Evaluate(new GateInput(0.47, 0.20, 0.48, "eng-r1", CandidateMacroF1: 0.40, StratifiedRandomMacroF1: 0.21, ActiveMacroF1OnSameRows: 0.41), options);

        Assert.False(decision.Accepted);
        Assert.Equal("Macro-F1 below active version eng-r1 on the same test rows: 0.4000 vs 0.4100.", decision.Reasons[0]);
    }
}

public class GrowthGateTests
{
    [Fact]
    public void APointInTimeCandidateMustBeatTheGrowthBaselinesMacroF1()
    {
        var below = AccuracyGate.Evaluate(new GateInput(0.70, 0.20, CandidateMacroF1: 0.66) { Figure = "Served", GrowthMacroF1 = 0.68 });
        var above = AccuracyGate.Evaluate(new GateInput(0.70, 0.20, CandidateMacroF1: 0.70) { Figure = "Served", GrowthMacroF1 = 0.68 });

        Assert.False(below.Accepted);
        Assert.Equal("Served macro-F1 0.6600 does not beat the growth baseline's (0.6800): views at observation × typical growth predict as well.", below.Reasons[0]);
        Assert.True(above.Accepted);
        Assert.StartsWith("Served accuracy 70.0% meets", above.Reasons[0]);
    }

    [Fact]
    public void WithoutAGrowthFigureTheRuleDoesNotApply()
    {
        var decision = AccuracyGate.Evaluate(new GateInput(0.70, 0.20, CandidateMacroF1: 0.1));

        Assert.True(decision.Accepted);
        Assert.DoesNotContain(decision.Reasons, r => r.Contains("growth"));
    }
}
