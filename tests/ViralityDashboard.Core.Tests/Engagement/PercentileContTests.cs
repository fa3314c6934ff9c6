using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Tests.Engagement;

public class PercentileContTests
{
    // Expected values as PostgreSQL computes them, e.g.
    // SELECT percentile_cont(0.2) WITHIN GROUP (ORDER BY x) FROM (VALUES (4),(1),(3),(2)) t(x) → 1.6
    [Theory]
    [InlineData(0.2, 1.6)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.8, 3.4)]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 4.0)]
    public void InterpolatesLinearlyLikePostgresPercentileCont(double fraction, double expected)
    {
        double[] values = [4, 1, 3, 2];

        var result = PercentileCont.Of(values, fraction);

        Assert.Equal(expected, result, 12);
    }

    [Fact]
    public void ComputesSeveralPercentilesOfFiveValues()
    {
        double[] values = [50, 10, 40, 20, 30];

        var result = PercentileCont.OfMany(values, [0.25, 0.5, 0.75, 0.9]);

        // positions (n − 1)·p = 1, 2, 3, 3.6 → 20, 30, 40, 40 + 0.6 × 10
        Assert.Equal([20, 30, 40, 46], result.Select(r => Math.Round(r, 10)).ToArray());
    }

    [Fact]
    public void ReturnsTheOnlyValueOfASingleton()
    {
        Assert.Equal(7.0, PercentileCont.Of([7.0], 0.3));
    }

    [Fact]
    public void RefusesAnEmptySet()
    {
        Assert.Throws<ArgumentException>(() => PercentileCont.Of([], 0.5));
    }
}
