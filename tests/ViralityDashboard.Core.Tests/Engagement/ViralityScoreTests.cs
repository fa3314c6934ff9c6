using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Tests.Engagement;

public class ViralityScoreTests
{
    [Theory]
    [InlineData(new[] { 1f, 0f, 0f, 0f, 0f }, 12.5)]
    [InlineData(new[] { 0f, 0f, 0f, 0f, 1f }, 90.0)]
    [InlineData(new[] { 0.2f, 0.2f, 0.2f, 0.2f, 0.2f }, 53.0)]
    [InlineData(new[] { 0f, 0f, 0.5f, 0.5f, 0f }, 63.75)]
    public void WeighsTierMidpointsByProbability(float[] probabilities, double expected)
    {
        Assert.Equal(expected, ViralityScore.FromProbabilities(probabilities), 5);
    }

    [Fact]
    public void SortsContributionsByMagnitude()
    {
        string[] names = ["a", "b", "c"];
        float[] values = [1f, 0.5f, 0.25f];
        float[] weights = [0.1f, -2f, 1f];

        var contributions = ViralityScore.Contributions(names, values, weights);

        Assert.Equal(["b", "c", "a"], contributions.Select(c => c.Feature));
        Assert.Equal(-1.0, contributions[0].Contribution, 6);
        Assert.Equal(0.25, contributions[1].Contribution, 6);
    }
}
