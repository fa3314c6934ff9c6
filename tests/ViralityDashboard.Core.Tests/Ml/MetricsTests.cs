using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class MetricsTests
{
    // actual → predicted: 1→1, 1→2, 2→2, 2→2, 3→3, 3→1 (three tiers)
    private static readonly int[] Actual = [1, 1, 2, 2, 3, 3];
    private static readonly int[] Predicted = [1, 2, 2, 2, 3, 1];

    [Fact]
    public void BuildsTheConfusionMatrixWithActualTiersAsRows()
    {
        var matrix = Metrics.ConfusionMatrix(Actual, Predicted, tierCount: 3);

        Assert.Equal([1, 1, 0], matrix[0]);
        Assert.Equal([0, 2, 0], matrix[1]);
        Assert.Equal([1, 0, 1], matrix[2]);
    }

    [Fact]
    public void ComputesAccuracyPerClassFiguresAndMacroF1FromAHandWorkedMatrix()
    {
        var m = Metrics.Evaluate(Actual, Predicted, tierCount: 3);

        Assert.Equal(4.0 / 6, m.Accuracy, 12);
        // tier 1: P 1/2, R 1/2, F1 1/2; tier 2: P 2/3, R 1, F1 0.8; tier 3: P 1, R 1/2, F1 2/3
        Assert.Equal(0.5, m.PerClass[0].Precision, 12);
        Assert.Equal(0.5, m.PerClass[0].Recall, 12);
        Assert.Equal(2.0 / 3, m.PerClass[1].Precision, 12);
        Assert.Equal(0.8, m.PerClass[1].F1, 12);
        Assert.Equal(1.0, m.PerClass[2].Precision, 12);
        Assert.Equal(2.0 / 3, m.PerClass[2].F1, 12);
        Assert.Equal((0.5 + 0.8 + 2.0 / 3) / 3, m.MacroF1, 12);
        Assert.Equal(5.0 / 6, m.WithinOneTierAccuracy, 12);
        Assert.Equal([2, 2, 2], m.PerClass.Select(c => c.Support));
    }

    [Fact]
    public void ComputesQuadraticWeightedKappaOfAHandWorkedMatrix()
    {
        // Σ w·O = 1·1 + 4·1 = 5; E = r·cᵀ/6 with r = (2,2,2), c = (2,3,1): Σ w·E = 7/3 + 1 + 11/3 = 7.
        // κ = 1 − 5/7 (the same formula as sklearn's cohen_kappa_score with weights="quadratic").
        var kappa = Metrics.QuadraticWeightedKappa(Metrics.ConfusionMatrix(Actual, Predicted, 3));

        Assert.Equal(2.0 / 7, kappa, 12);
    }

    [Fact]
    public void KappaIsOneForPerfectAgreement()
    {
        int[] tiers = [1, 2, 3, 4, 5, 5];

        var m = Metrics.Evaluate(tiers, tiers);

        Assert.Equal(1.0, m.QuadraticWeightedKappa, 12);
        Assert.Equal(1.0, m.MacroF1, 12);
    }

    [Fact]
    public void KappaIsZeroWhenUndefinedInsteadOfNaN()
    {
        var m = Metrics.Evaluate([3, 3], [3, 3]);

        Assert.Equal(0.0, m.QuadraticWeightedKappa);
    }

    [Fact]
    public void LogLossIsTheMeanNegativeLogProbabilityOfTheActualTier()
    {
        float[][] probabilities = [[0.5f, 0.5f, 0f], [0.25f, 0.75f, 0f]];

        var loss = Metrics.LogLoss([1, 2], probabilities);

        Assert.Equal(-(Math.Log(0.5) + Math.Log(0.75)) / 2, loss, 6);
    }

    [Fact]
    public void LogLossClipsZeroProbabilities()
    {
        var loss = Metrics.LogLoss([3], [[0.5f, 0.5f, 0f]]);

        Assert.Equal(-Math.Log(Metrics.ProbabilityFloor), loss, 6);
    }

    [Fact]
    public void MajorityBaselinePredictsTheMostFrequentTrainingTier()
    {
        var m = Baselines.Majority(trainLabels: [1, 1, 2], testLabels: [1, 2, 2]);

        Assert.Equal(1.0 / 3, m.Accuracy, 12);
        Assert.Equal([1, 0, 0, 0, 0], m.ConfusionMatrix[0]);
        Assert.Equal([2, 0, 0, 0, 0], m.ConfusionMatrix[1]);
    }

    [Fact]
    public void StratifiedRandomBaselineIsSeeded()
    {
        var train = Enumerable.Range(0, 100).Select(i => i % 5 + 1).ToArray();
        var test = Enumerable.Range(0, 500).Select(i => i % 5 + 1).ToArray();

        var first = Baselines.StratifiedRandom(train, test, seed: 42);
        var second = Baselines.StratifiedRandom(train, test, seed: 42);

        Assert.Equal(first.ConfusionMatrix, second.ConfusionMatrix);
        Assert.InRange(first.Accuracy, 0.12, 0.28);
    }
}
