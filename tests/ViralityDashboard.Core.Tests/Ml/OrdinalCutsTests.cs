using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class OrdinalCutsTests
{
    [Fact]
    public void LearnsCutsThatSeparateShiftedScores()
    {
        // Scores run 0.6 high for every tier: the midpoints 1.5 … 4.5 would misplace a third of them.
        var actual = Enumerable.Range(0, 200).Select(i => 1 + i % 5).ToArray();
        var scores = actual.Select((t, i) => t + 0.6f + (i % 7 - 3) * 0.05f).ToArray();

        var cuts = OrdinalCuts.Learn(scores, actual);

        Assert.Equal(actual, scores.Select(cuts.Tier));
        Assert.True(cuts.Cuts.Zip(cuts.Cuts.Skip(1)).All(p => p.First < p.Second));
    }

    [Theory]
    [InlineData(0.2f, 1)]
    [InlineData(2.1f, 2)]
    [InlineData(3.9f, 4)]
    [InlineData(9f, 5)]
    public void ItsProbabilitiesSumToOneAndPeakAtTheTierOfTheScore(float score, int tier)
    {
        var cuts = new OrdinalCuts([1.5f, 2.5f, 3.5f, 4.5f], 0.4f);
        var p = new float[5];

        cuts.Probabilities(score, p);

        Assert.Equal(tier, cuts.Tier(score));
        Assert.Equal(tier, Metrics.ArgMaxTier(p));
        Assert.Equal(1f, p.Sum(), 5);
    }
}
