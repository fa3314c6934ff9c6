using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class RetrainTriggersTests
{
    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    public void NewRatingsFireAtFifty(int newRatings, bool fires)
    {
        var check = RetrainTriggers.Evaluate(new RetrainCheckInput(newRatings));

        Assert.Equal(fires, check.Retrain);
        Assert.Equal(newRatings, check.Outcomes.Single(o => o.Trigger == RetrainTriggerKind.NewRatings).Value);
    }

    [Fact]
    public void DegradationFiresWhenNewerRatingsAreAtLeastFivePointsWorseThanTheTestMae()
    {
        var actual = Enumerable.Repeat(0.5, 20).ToArray();
        var predicted = Enumerable.Repeat(0.65, 20).ToArray();

        var outcome = RetrainTriggers.Degradation(activeTestMae: 0.10, actual, predicted);

        Assert.True(outcome.Fired);
        Assert.Equal(0.05, outcome.Value, 9);
        Assert.Equal(20, outcome.RowCount);
    }

    [Fact]
    public void DegradationWaitsForTwentyNewerRatings()
    {
        var outcome = RetrainTriggers.Degradation(0.10, Enumerable.Repeat(0.5, 19).ToArray(), Enumerable.Repeat(0.9, 19).ToArray());

        Assert.False(outcome.Fired);
    }

    [Fact]
    public void DegradationDoesNotFireBelowTheMargin()
    {
        var outcome = RetrainTriggers.Degradation(0.10, Enumerable.Repeat(0.5, 30).ToArray(), Enumerable.Repeat(0.64, 30).ToArray());

        Assert.False(outcome.Fired);
    }

    [Fact]
    public void DriftFiresWhenFeaturesShiftAndNamesTheShiftedFeatureFirst()
    {
        var training = Enumerable.Range(0, 300).Select(i => new[] { i % 50 / 50.0, i % 2, i % 3 / 2.0 }).ToArray();
        var reference = PopulationStability.Reference(training, ["hook.score", "flag", "thirds"]);
        var recent = Enumerable.Range(0, 60).Select(i => new[] { 1.5 + i % 50 / 50.0, i % 2, i % 3 / 2.0 }).ToArray();

        var check = RetrainTriggers.Evaluate(new RetrainCheckInput(3, DriftReference: reference, RecentVectors: recent));

        var drift = check.Outcomes.Single(o => o.Trigger == RetrainTriggerKind.FeatureDrift);
        Assert.True(drift.Fired);
        Assert.Equal("hook.score", drift.Features![0].Feature);
        Assert.Contains("hook.score", drift.Reason);
        Assert.Equal(drift.Features.Average(f => f.Psi), drift.Value, 12);
    }

    [Fact]
    public void DriftDoesNotFireOnRecentRowsFromTheSameDistribution()
    {
        var training = Enumerable.Range(0, 300).Select(i => new[] { i % 50 / 50.0, i % 2 }).ToArray();
        var reference = PopulationStability.Reference(training, ["a", "b"]);
        var recent = training.Skip(100).Take(100).ToArray();

        var drift = RetrainTriggers.Drift(reference, recent);

        Assert.False(drift.Fired);
        Assert.True(drift.Value < 0.1, $"Mean PSI was {drift.Value}.");
    }
}
