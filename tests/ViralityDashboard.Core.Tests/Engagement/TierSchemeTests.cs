using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Tests.Engagement;

public class TierSchemeTests
{
    private static readonly TierThresholds Thresholds = new("views", TierMeasure.Views, [0.2, 0.4, 0.6, 0.8], [10, 20, 30, 40]);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 1)]
    [InlineData(10.000001, 2)]
    [InlineData(20, 2)]
    [InlineData(30, 3)]
    [InlineData(40, 4)]
    [InlineData(40.5, 5)]
    [InlineData(1e12, 5)]
    public void PutsAValueEqualToAThresholdInTheLowerTier(double value, int expectedTier)
    {
        Assert.Equal(expectedTier, Thresholds.Assign(value));
    }

    [Fact]
    public void ViewSchemeCutsAtQuintilesOfTheData()
    {
        var views = Enumerable.Range(1, 100).Select(v => (double)v).ToArray();

        var thresholds = TierScheme.Views.ComputeThresholds(views);

        // percentile_cont over 1..100: 1 + 99·p
        Assert.Equal([20.8, 40.6, 60.4, 80.2], thresholds.Values.Select(v => Math.Round(v, 9)).ToArray());
        Assert.Equal(1, thresholds.Assign(20));
        Assert.Equal(2, thresholds.Assign(21));
        Assert.Equal([20, 20, 20, 20, 20], TierThresholds.Distribution(thresholds.AssignAll(views)));
    }

    [Fact]
    public void WesSchemeUsesTheSeedPercentiles()
    {
        Assert.Equal([0.25, 0.50, 0.75, 0.90], TierScheme.Wes.Percentiles);
        Assert.Equal([0.20, 0.40, 0.60, 0.80], TierScheme.Views.Percentiles);
    }

    [Fact]
    public void ViewLabelsComeFromViewsOnly()
    {
        Assert.Equal(FeatureSource.Views, TierScheme.Views.LabelSources);
        Assert.True(TierScheme.Wes.LabelSources.HasFlag(FeatureSource.Likes));
    }
}
