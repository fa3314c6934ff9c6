using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class PermutationImportanceTests
{
    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    [InlineData(TrainerKind.LightGbmOrdinal)]
    public void RanksTheOneInformativeFeatureFirstForEveryModelForm(TrainerKind kind)
    {
        // Only the first feature carries the tier; the other two are noise.
        var (x, y) = TierModelTrainerTests.Separable(40, seed: 31);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(kind, L2Regularization: 0.01f));

        var importance = PermutationImportance.Compute(model, ["signal", "noise1", "noise2"], x, y, seed: 7);

        Assert.Equal(3, importance.Count);
        Assert.Equal("signal", importance[0].Feature);
        Assert.True(importance[0].AccuracyDrop > 0.3, $"shuffling the signal cost only {importance[0].AccuracyDrop:0.###}");
        Assert.All(importance.Skip(1), f => Assert.InRange(f.AccuracyDrop, -0.1, 0.1));
    }

    [Fact]
    public void IsDeterministicForTheOrdinalForm()
    {
        var (x, y) = TierModelTrainerTests.Separable(30, seed: 32);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbmOrdinal));

        Assert.Equal(PermutationImportance.Compute(model, ["a", "b", "c"], x, y, 5), PermutationImportance.Compute(model, ["a", "b", "c"], x, y, 5));
    }
}
