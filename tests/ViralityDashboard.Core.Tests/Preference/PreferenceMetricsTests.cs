using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class PreferenceMetricsTests
{
    [Fact]
    public void ComputesMaeRmseAndRSquared()
    {
        // Errors 0.1, −0.1, 0.2, 0; SSres = 0.06; actual mean 0.5, SStot = 0.2.
        var metrics = PreferenceMetrics.Evaluate([0.2, 0.4, 0.6, 0.8], [0.3, 0.3, 0.8, 0.8]);

        Assert.Equal(4, metrics.Count);
        Assert.Equal(0.1, metrics.Mae, 12);
        Assert.Equal(Math.Sqrt(0.015), metrics.Rmse, 12);
        Assert.Equal(1 - 0.06 / 0.2, metrics.R2, 12);
    }

    [Fact]
    public void TheMeanBaselinePredictsTheTrainingMean()
    {
        var baseline = PreferenceMetrics.MeanBaseline([0.4, 0.6], [0.3, 0.7]);

        Assert.Equal(0.2, baseline.Mae, 12);
        Assert.Equal(0, baseline.R2, 12);
    }

    [Theory]
    [InlineData(0.149, 0.61, MaeVerdict.ProductionReady, R2Verdict.Good)]
    [InlineData(0.15, 0.6, MaeVerdict.Acceptable, R2Verdict.Moderate)]
    [InlineData(0.20, 0.4, MaeVerdict.Acceptable, R2Verdict.Moderate)]
    [InlineData(0.201, 0.399, MaeVerdict.NeedsData, R2Verdict.Low)]
    public void AppliesTheSeedsCriteriaTableToAModelWellBelowTheMeanBaseline(double mae, double r2, MaeVerdict maeVerdict, R2Verdict r2Verdict)
    {
        var verdict = ModelVerdict.Of(mae, r2, baselineMae: 0.5);

        Assert.Equal((maeVerdict, r2Verdict), (verdict.Mae, verdict.R2));
    }

    [Fact]
    public void ADimensionBarelyBelowTheMeanBaselineWithLowR2IsNotProductionReadyAndSaysWhy()
    {
        // The pacing model: in the "< 0.15" band, yet 4 % below always predicting the mean, R² 0.17.
        var verdict = ModelVerdict.Of(0.106, 0.17, baselineMae: 0.110);

        Assert.Equal(MaeVerdict.Acceptable, verdict.Mae);
        Assert.Equal(2, verdict.Reasons!.Count);
        Assert.Contains("only 4% below the mean baseline's 1.10 (needs 10%)", verdict.Reasons[0]);
        Assert.Contains("R² 0.170 is below 0.40", verdict.Reasons[1]);
        Assert.StartsWith("MAE 1.06: acceptable, continue training (not production ready:", verdict.Summary);
        Assert.Equal(VerdictRule.Default, verdict.Rule);
    }

    [Theory]
    [InlineData(0.10, 0.50, 0.2, 0.4, MaeVerdict.ProductionReady)] // 33 % below the baseline, R² 0.5
    [InlineData(0.10, 0.50, 0.2, 0.6, MaeVerdict.Acceptable)]      // a stricter R² floor
    [InlineData(0.10, 0.50, 0.4, 0.4, MaeVerdict.Acceptable)]      // a stricter margin
    [InlineData(0.10, 0.50, 0.0, 0.0, MaeVerdict.ProductionReady)] // the rule off: the seed's table alone
    public void TheRulesMarginAndR2FloorAreOptions(double mae, double r2, double gain, double minimumR2, MaeVerdict expected)
    {
        var verdict = ModelVerdict.Of(mae, r2, baselineMae: 0.15, new VerdictRule(gain, minimumR2));

        Assert.Equal(expected, verdict.Mae);
    }

    [Fact]
    public void AModelThatDoesNotBeatTheMeanBaselineNeedsDataWhateverItsBand()
    {
        var verdict = ModelVerdict.Of(0.12, 0.0, baselineMae: 0.11);

        Assert.Equal(MaeVerdict.NeedsData, verdict.Mae);
        Assert.Contains("does not beat the mean baseline's 1.10", verdict.Summary);
    }

    [Fact]
    public void ErrorAnalysisListsOverAndUnderestimatesBeyondTheThresholdWithTheirIds()
    {
        var analysis = PreferenceMetrics.AnalyzeErrors(["a", "b", "c", "d"], [0.5, 0.5, 0.5, 0.95], [0.8, 0.65, 0.2, 0.6]);

        Assert.Equal(["a"], analysis.Overestimated.Select(e => e.RowId));
        Assert.Equal(["d", "c"], analysis.Underestimated.Select(e => e.RowId));
        Assert.Equal(0.3, analysis.Overestimated[0].Error, 12);
    }
}
