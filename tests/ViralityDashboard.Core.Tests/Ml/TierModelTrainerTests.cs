using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class TierModelTrainerTests
{
    /// <summary>Tier t sits around (t − 1)/4 on feature 0, with two noise features.</summary>
    internal static (float[][] X, int[] Y) Separable(int perTier, int seed)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<int>();
        for (var t = 1; t <= 5; t++)
            for (var i = 0; i < perTier; i++)
            {
                x.Add([(float)((t - 1) / 4.0 + (random.NextDouble() - 0.5) * 0.1), (float)random.NextDouble(), (float)random.NextDouble()]);
                y.Add(t);
            }
        return (x.ToArray(), y.ToArray());
    }

    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    [InlineData(TrainerKind.LightGbmOrdinal)]
    public void LearnsSeparableTiersAndRoundTripsThroughBytes(TrainerKind kind)
    {
        var (x, y) = Separable(60, seed: 1);
        var (testX, testY) = Separable(20, seed: 2);

        // Weak regularization: the default λ = 1 shrinks a three-feature model too much for this check.
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(kind, L2Regularization: 0.01f));
        var loaded = TierModel.FromBytes(model.ToBytes(), kind);

        var accuracy = TrainingPipeline.Accuracy(model, testX, testY);
        Assert.True(accuracy >= 0.9, $"{kind} accuracy {accuracy:P1}");
        Assert.Equal(kind, loaded.Kind);
        foreach (var row in testX)
            Assert.Equal(model.PredictProbabilities(row), loaded.PredictProbabilities(row));
    }

    [Theory]
    [InlineData(TrainerKind.Lbfgs)]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastForest)]
    [InlineData(TrainerKind.LightGbmOrdinal)]
    public void TrainsTheSameModelTwiceForTheSameSeedAndData(TrainerKind kind)
    {
        var (x, y) = Separable(40, seed: 3);
        var (testX, _) = Separable(10, seed: 4);

        var first = TierModelTrainer.Train(x, y, new TrainerOptions(kind, Seed: 5));
        var second = TierModelTrainer.Train(x, y, new TrainerOptions(kind, Seed: 5));

        foreach (var row in testX)
            Assert.Equal(first.PredictProbabilities(row), second.PredictProbabilities(row));
    }

    [Fact]
    public void LinearFastPathMatchesMlNetsOwnPrediction()
    {
        var (x, y) = Separable(40, seed: 5);
        var model = TierModelTrainer.Train(x, y);

        foreach (var row in x.Take(50))
        {
            var ours = model.PredictProbabilities(row);
            var mlnet = model.PredictProbabilitiesWithMlNet(row);
            for (var c = 0; c < 5; c++)
                Assert.Equal(mlnet[c], ours[c], 5);
        }
    }

    [Fact]
    public void ExposesPerTierPerFeatureWeightsOfTheLinearModel()
    {
        var (x, y) = Separable(40, seed: 6);

        var model = TierModelTrainer.Train(x, y);

        var weights = Assert.IsType<LinearTierWeights>(model.LinearWeights);
        Assert.Equal(5, weights.Weights.Length);
        Assert.All(weights.Weights, w => Assert.Equal(3, w.Length));
        Assert.Equal(5, weights.Biases.Length);
        // Feature 0 orders the tiers, so its weight rises from tier 1 to tier 5.
        Assert.True(weights.Weights[4][0] > weights.Weights[0][0]);
    }

    [Fact]
    public void TreeModelsHaveNoLinearWeights()
    {
        var (x, y) = Separable(20, seed: 7);

        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbm));

        Assert.Null(model.LinearWeights);
    }

    [Fact]
    public void BalancedWeightsFollowScikitLearn()
    {
        int[] labels = [1, 1, 1, 2];

        var weights = TierModelTrainer.BalancedWeights(labels);

        // n / (k · count): 4 / (2 · 3) and 4 / (2 · 1); absent tiers get 0.
        Assert.Equal(4f / 6, weights[0], 6);
        Assert.Equal(2f, weights[1], 6);
        Assert.Equal([0f, 0f, 0f], weights[2..]);
    }

    [Fact]
    public void RefusesBytesOfAnotherKind()
    {
        var (x, y) = Separable(20, seed: 8);
        var bytes = TierModelTrainer.Train(x, y).ToBytes();

        Assert.Throws<InvalidDataException>(() => TierModel.FromBytes(bytes, TrainerKind.LightGbm));
        var ordinal = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbmOrdinal)).ToBytes();
        Assert.Throws<InvalidDataException>(() => TierModel.FromBytes(ordinal, TrainerKind.LightGbm));
    }

    [Fact]
    public void LightGbmWithEarlyStoppingLearnsFromTheRowsOutsideItsValidationFold()
    {
        var (x, y) = Separable(60, seed: 10);
        var (testX, testY) = Separable(20, seed: 11);

        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbm, LightGbmIterations: 300, LightGbmEarlyStoppingRounds: 10,
            LightGbmLeaves: 7, LightGbmLearningRate: 0.1, LightGbmMinDataPerLeaf: 5));

        Assert.True(TrainingPipeline.Accuracy(model, testX, testY) >= 0.9);
    }

    [Fact]
    public void TheOrdinalFormScoresOnTheTierScale()
    {
        var (x, y) = Separable(60, seed: 12);

        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbmOrdinal));

        Assert.NotNull(model.Ordinal);
        Assert.InRange(model.TierScore(x[0])!.Value, 0.5f, 1.6f);
        Assert.InRange(model.TierScore(x[^1])!.Value, 4.4f, 5.5f);
        Assert.Null(TierModelTrainer.Train(x, y).TierScore(x[0]));
    }

    [Fact]
    public void PredictsConcurrentlyWithTreeModels()
    {
        var (x, y) = Separable(30, seed: 9);
        var model = TierModelTrainer.Train(x, y, new TrainerOptions(TrainerKind.LightGbm));
        var expected = x.Select(r => model.PredictTier(r)).ToArray();

        var actual = new int[x.Length];
        Parallel.For(0, x.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => actual[i] = model.PredictTier(x[i]));

        Assert.Equal(expected, actual);
    }
}
