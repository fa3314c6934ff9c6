using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class PreferencePredictorTests
{
    [Theory]
    [InlineData(0.8, 0.5, 0.4)]
    [InlineData(1.0, 0.7, 0.7)]
    [InlineData(0.9, -0.2, 0.0)]
    [InlineData(1.0, 1.3, 1.0)]
    public void ConfidenceIsCoverageTimesRSquaredClampedToZeroOne(double coverage, double r2, double expected)
    {
        var confidence = PreferencePredictor.Confidence(coverage, r2);

        Assert.Equal(expected, confidence, 12);
    }

    [Theory]
    [InlineData(0.73, 7.3)]
    [InlineData(1.3, 10)]
    [InlineData(-0.2, 0)]
    public void ScoreIsTheClampedOutputTimesTen(double raw, double expected)
    {
        var score = PreferencePredictor.ToScore(raw);

        Assert.Equal(expected, score, 12);
    }

    [Fact]
    public void ListsAtMostTenFactorsAboveTwoHundredthsLargestFirst()
    {
        // Twelve features at value 1 with weights 0.01..0.12, and one missing feature.
        var rows = new[]
        {
            Enumerable.Range(1, 13).ToDictionary(i => $"f{i:00}", _ => FeatureValue.FromBoolean(true)) as IReadOnlyDictionary<string, FeatureValue>,
            Enumerable.Range(1, 13).ToDictionary(i => $"f{i:00}", _ => FeatureValue.FromBoolean(false)),
        };
        var config = FeatureNormalizer.Fit(rows);
        var model = PreferenceModel.FromLinear(new LinearPreferenceWeights(1, 0.05, [.. Enumerable.Range(1, 13).Select(i => i / 100.0)]));
        var input = Enumerable.Range(1, 12).ToDictionary(i => $"f{i:00}", _ => FeatureValue.FromBoolean(true));

        var prediction = PreferencePredictor.Predict(config, model, testR2: 0.6, input);

        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(i => $"f{i:00}"), prediction.TopFactors.Select(f => f.Feature));
        Assert.Equal((0.05 + 0.78) * 10, prediction.Score, 9);
        Assert.Equal(12 / 13.0, prediction.Coverage, 12);
        Assert.Equal(12 / 13.0 * 0.6, prediction.Confidence, 12);
    }
}
