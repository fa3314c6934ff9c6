using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class PreferenceModelTrainerTests
{
    [Fact]
    public void RidgeMatchesTheClosedFormOnOneFeature()
    {
        // Centred x = ±1.5, ±0.5: Sxx = 5, Sxy = 5.5, so β = 5.5 / (5 + 1) and b = ȳ − x̄β = 2.75 − 1.5β.
        double[][] x = [[0], [1], [2], [3]];
        double[] y = [1, 3, 2, 5];

        var ridge = PreferenceModelTrainer.Ridge(x, y, alpha: 1.0);

        Assert.Equal(5.5 / 6, ridge.Coefficients[0], 12);
        Assert.Equal(2.75 - 1.5 * 5.5 / 6, ridge.Intercept, 12);
    }

    [Fact]
    public void RidgeWithoutPenaltyRecoversAnExactLinearFunction()
    {
        var x = Enumerable.Range(0, 12).Select(i => new[] { i / 11.0, (i * 7 % 12) / 11.0 }).ToArray();
        var y = x.Select(r => 0.2 + 0.5 * r[0] - 0.3 * r[1]).ToArray();

        var ridge = PreferenceModelTrainer.Ridge(x, y, alpha: 0);

        Assert.Equal([0.5, -0.3], ridge.Coefficients, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(0.2, ridge.Intercept, 9);
    }

    [Fact]
    public void LinearContributionsAreValueTimesWeight()
    {
        var model = PreferenceModel.FromLinear(new LinearPreferenceWeights(1, 0.1, [0.5, -0.25]));

        var contributions = model.Contributions([0.4, 0.8]);

        Assert.Equal([0.2, -0.2], contributions);
        Assert.Equal(0.1, model.Predict([0.4, 0.8]), 12);
    }

    [Theory]
    [InlineData(PreferenceModelKind.Ridge)]
    [InlineData(PreferenceModelKind.RandomForest)]
    [InlineData(PreferenceModelKind.LightGbm)]
    public void AModelLoadedFromItsBytesPredictsAndExplainsTheSame(PreferenceModelKind kind)
    {
        var (x, y) = Synthetic();
        var model = PreferenceModelTrainer.Train(kind, x, y);

        var loaded = PreferenceModel.FromBytes(model.ToBytes(), kind);

        Assert.Equal(model.FeatureCount, loaded.FeatureCount);
        Assert.Equal(x.Take(10).Select(r => model.Predict(r)), x.Take(10).Select(r => loaded.Predict(r)));
        Assert.Equal(model.Contributions(x[0]), loaded.Contributions(x[0]));
        Assert.Equal(model.Importances, loaded.Importances);
    }

    [Theory]
    [InlineData(PreferenceModelKind.RandomForest)]
    [InlineData(PreferenceModelKind.LightGbm)]
    public void TreeModelsLearnTheSignalAndRankTheInformativeFeatureFirst(PreferenceModelKind kind)
    {
        var (x, y) = Synthetic();
        var model = PreferenceModelTrainer.Train(kind, x, y);

        var predicted = x.Select(r => model.Predict(r)).ToArray();
        var metrics = PreferenceMetrics.Evaluate(y, predicted);
        var contributions = model.Contributions([0.95, 0.5, 0.5]);

        Assert.True(metrics.R2 > 0.7, $"Training R² was {metrics.R2}.");
        Assert.Equal(0, Array.IndexOf(model.Importances, model.Importances.Max()));
        Assert.True(contributions[0] > Math.Abs(contributions[2]), $"Contributions were {string.Join(", ", contributions)}.");
    }

    [Fact]
    public void TrainingTwiceGivesTheSameForest()
    {
        var (x, y) = Synthetic();

        var first = PreferenceModelTrainer.Train(PreferenceModelKind.RandomForest, x, y);
        var second = PreferenceModelTrainer.Train(PreferenceModelKind.RandomForest, x, y);

        Assert.Equal(x.Select(r => first.Predict(r)), x.Select(r => second.Predict(r)));
    }

    // y depends strongly on feature 0, weakly on feature 1, not on feature 2; no noise.
    private static (double[][] X, double[] Y) Synthetic()
    {
        var x = Enumerable.Range(0, 200).Select(i => new[] { i % 20 / 19.0, i * 7 % 13 / 12.0, i * 11 % 17 / 16.0 }).ToArray();
        var y = x.Select(r => 0.2 + 0.6 * r[0] + 0.1 * r[1]).ToArray();
        return (x, y);
    }
}
