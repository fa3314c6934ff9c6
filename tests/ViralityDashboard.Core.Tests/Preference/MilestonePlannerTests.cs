using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class MilestonePlannerTests
{
    [Fact]
    public void Below100RowsNothingRunsAndCorrelationIsNext()
    {
        var plan = MilestonePlanner.Plan(99, hasPreviousVersion: false);

        Assert.Equal(PreferenceMilestone.None, plan.Milestone);
        Assert.False(plan.RunCorrelation || plan.TrainModel);
        Assert.Equal((PreferenceMilestone.Correlation, 1), (plan.Next!.Value, plan.RowsToNext!.Value));
    }

    [Fact]
    public void At100RowsOnlyCorrelationRuns()
    {
        var plan = MilestonePlanner.Plan(100, hasPreviousVersion: false);

        Assert.Equal(PreferenceMilestone.Correlation, plan.Milestone);
        Assert.True(plan.RunCorrelation);
        Assert.False(plan.TrainModel);
        Assert.Equal(100, plan.RowsToNext);
        Assert.Contains("first ridge model", plan.NextUnlocks);
    }

    [Fact]
    public void At200RowsTheFirstRidgeModelIsTrainedWithoutPruning()
    {
        var plan = MilestonePlanner.Plan(200, hasPreviousVersion: false);

        Assert.Equal(PreferenceMilestone.FirstModel, plan.Milestone);
        Assert.True(plan.TrainModel);
        Assert.False(plan.PruneFeatures || plan.CompareForest || plan.CompareWithPrevious);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void At300RowsFeaturesArePrunedAndAPreviousVersionIsCompared(bool hasPrevious, bool compares)
    {
        var plan = MilestonePlanner.Plan(300, hasPrevious);

        Assert.Equal(PreferenceMilestone.Retrain, plan.Milestone);
        Assert.True(plan.PruneFeatures);
        Assert.Equal(compares, plan.CompareWithPrevious);
        Assert.False(plan.CompareForest);
        Assert.Equal(200, plan.RowsToNext);
    }

    [Fact]
    public void At500RowsRidgeAndForestAreComparedAndNothingIsNext()
    {
        var plan = MilestonePlanner.Plan(500, hasPreviousVersion: true);

        Assert.Equal(PreferenceMilestone.ModelComparison, plan.Milestone);
        Assert.True(plan.CompareForest && plan.PruneFeatures && plan.CompareWithPrevious);
        Assert.Null(plan.Next);
        Assert.Null(plan.NextUnlocks);
    }
}
