using Bunit;
using ViralityDashboard.Components.Pages.Training;
using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Tests.Components.Pages.Training;

public sealed class DimensionModelsTableTests : DashboardTestContext
{
    private static DimensionEvaluation Dimension(string name, double mae, double r2, double baselineMae) => new(name, 300,
        new ModelEvaluation(PreferenceModelKind.Ridge, 40,
            new ErrorMetrics(60, mae, mae * 1.3, r2), new ErrorMetrics(240, mae, mae * 1.3, r2), new ErrorMetrics(60, baselineMae, baselineMae * 1.2, 0),
            null, ModelVerdict.Of(mae, r2, baselineMae), 0.5, [], new ErrorAnalysis(0.2, [], [])),
        new NormalizationConfig(NumericScaling.MinMax, []));

    [Fact]
    public void APacingModelBarelyBelowTheMeanBaselineIsNotCalledProductionReadyAndTheRuleIsShown()
    {
        var cut = Render<DimensionModelsTable>(p => p.Add(c => c.Dimensions, [Dimension("hook", 0.090, 0.55, 0.150), Dimension("pacing", 0.106, 0.17, 0.110)]));

        var verdicts = cut.FindAll("[data-testid=verdict-mae]").Select(v => v.TextContent.Trim()).ToList();
        Assert.Equal(["production ready", "acceptable"], verdicts);
        var pacing = cut.FindAll("[data-testid=pref-dimensions] tbody tr")[1].TextContent;
        Assert.Contains("1.06", pacing); // test MAE in points of the 0–10 scale
        Assert.Contains("1.10", pacing); // the mean baseline's
        Assert.Contains("at least 10% below the mean baseline's MAE, and R² at least 0.40", cut.Find("[data-testid=pref-dimensions-rule]").TextContent);
    }
}
