using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class GrowthRuleTests
{
    private static readonly TierThresholds Thresholds = new("views", TierMeasure.Views, [0.2, 0.4, 0.6, 0.8], [100, 200, 300, 400]);

    private static Observation Seen(double measure, double hours, double matured) => new(measure, hours, DateTimeOffset.UnixEpoch, matured);

    [Fact]
    public void PredictsViewsAtObservationTimesTheMedianGrowthOfItsAgeBucket()
    {
        // Under 6 h: ratios 2, 4 and 10 (median 4); 6–24 h: 3; no rows older: the overall median of 2, 3, 4, 10 = 3.5.
        var rule = GrowthRule.Fit([Seen(10, 1, 20), Seen(10, 2, 40), Seen(10, 5, 100), Seen(100, 12, 300)], Thresholds);

        Assert.Equal([4, 3, 3.5, 3.5, 3.5], rule.Ratios);
        Assert.Equal((120, 2), (rule.PredictMeasure(30, 2), rule.PredictTier(30, 2)));
        Assert.Equal((90, 1), (rule.PredictMeasure(30, 10), rule.PredictTier(30, 10)));
        Assert.Equal((105, 2), (rule.PredictMeasure(30, 50), rule.PredictTier(30, 50)));
        Assert.Equal(5, rule.PredictTier(200, 500));
    }

    [Fact]
    public void ScoresTheTestRowsByTheRuleFittedOnTheTrainingRows()
    {
        var train = new[] { Seen(10, 1, 40), Seen(10, 1, 40), Seen(50, 30, 100) };
        // Predicted: 20×4 = 80 → 1 (right); 60×4 = 240 → 3 (actual 4); 150×2 = 300 → 3 (right).
        var test = new[] { (Seen(20, 3, 0), 1), (Seen(60, 4, 0), 4), (Seen(150, 30, 0), 3) };

        var metrics = GrowthRule.Evaluate(train, test, Thresholds);

        Assert.Equal(2.0 / 3, metrics.Accuracy, 10);
        var byHand = Metrics.Evaluate([1, 4, 3], [1, 3, 3]);
        Assert.Equal((byHand.MacroF1, byHand.QuadraticWeightedKappa), (metrics.MacroF1, metrics.QuadraticWeightedKappa));
    }

    [Fact]
    public void AVideoWithoutViewsAtObservationGrowsFromOne()
    {
        var rule = GrowthRule.Fit([Seen(0, 1, 150)], Thresholds);

        Assert.Equal(150, rule.Ratios[0]);
        Assert.Equal(0, rule.PredictMeasure(0, 1));
    }
}
