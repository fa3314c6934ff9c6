using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class TierPredictorTests
{
    private static readonly FeatureSet Three = new("three",
    [
        new FeatureDefinition("signal", FeatureSource.Metadata, true, ""),
        new FeatureDefinition("noise1", FeatureSource.Metadata, true, ""),
        new FeatureDefinition("noise2", FeatureSource.Metadata, true, ""),
    ]);

    [Fact]
    public void ScoresFromProbabilitiesAndExplainsTheLinearModelsPredictedTier()
    {
        var (x, y) = TierModelTrainerTests.Separable(40, seed: 13);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(L2Regularization: 0.01f));
        float[] features = [1f, 0.5f, 0.5f];

        var prediction = TierPredictor.Predict(model, Three, features);

        Assert.Equal(5, prediction.Tier);
        Assert.Equal(ViralityScore.FromProbabilities(prediction.Probabilities), prediction.Score, 9);
        Assert.Equal(3, prediction.Contributions.Count);
        Assert.Equal("signal", prediction.Contributions[0].Feature);
        var tierWeights = model.LinearWeights!.Weights[4];
        Assert.Equal(tierWeights[0] * 1.0, prediction.Contributions[0].Contribution, 5);
    }

    [Fact]
    public void ExplainsTreeModelsByPathContributions()
    {
        var (x, y) = TierModelTrainerTests.Separable(20, seed: 14);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbm));

        var prediction = TierPredictor.Predict(model, Three, x[0]);

        Assert.Equal(3, prediction.Contributions.Count);
        Assert.All(prediction.Contributions, c => Assert.Null(c.Weight));
        Assert.Equal(prediction.Explanation!.Score, prediction.Explanation.BaseValue + prediction.Contributions.Sum(c => c.Contribution), 4);
        Assert.Equal(1f, prediction.Probabilities.Sum(), 4);
    }
}
