using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class PermutationImportanceTests
{
    // The ordinal form has no PredictedLabel column: ML.NET's multiclass importance threw on it and failed the run.
    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    [InlineData(TrainerKind.LightGbmOrdinal)]
    public void RanksTheOneInformativeFeatureFirstForEveryTrainer(TrainerKind kind)
    {
        var (x, y) = TierModelTrainerTests.Separable(60, seed: 1);
        var (testX, testY) = TierModelTrainerTests.Separable(20, seed: 2);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(kind, L2Regularization: 0.01f));

        var importance = PermutationImportance.Compute(model, ["signal", "noise1", "noise2"], testX, testY, seed: 3);

        Assert.Equal(["noise1", "noise2", "signal"], importance.Select(f => f.Feature).Order(StringComparer.Ordinal));
        Assert.Equal("signal", importance[0].Feature);
        Assert.True(importance[0].AccuracyDrop > 0.3, $"{kind}: shuffling the signal cost {importance[0].AccuracyDrop:P1} accuracy");
        Assert.True(importance[0].MacroAccuracyDrop > 0.3, $"{kind}: shuffling the signal cost {importance[0].MacroAccuracyDrop:P1} macro accuracy");
    }
}
