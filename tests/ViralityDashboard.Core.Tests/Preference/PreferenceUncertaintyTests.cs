using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class PreferenceUncertaintyTests
{
    private static readonly NormalizationConfig Config = new(NumericScaling.MinMax,
    [
        new VectorColumn("a", "a", ColumnKind.Numeric, Numeric: new NumericParameters(0, 10, 5, 3, 5, 5)),
        new VectorColumn("b", "b", ColumnKind.Numeric, Numeric: new NumericParameters(2, 4, 3, 1, 3, 1)),
        new VectorColumn("flag", "flag", ColumnKind.Boolean),
        new VectorColumn("style_deadpan", "style", ColumnKind.OneHot, Category: "deadpan"),
        new VectorColumn("style_parody", "style", ColumnKind.OneHot, Category: "parody"),
    ]);

    private static Dictionary<string, FeatureValue> Row(double a, double b, string style) => new()
    {
        ["a"] = FeatureValue.FromNumber(a),
        ["b"] = FeatureValue.FromNumber(b),
        ["flag"] = FeatureValue.FromBoolean(true),
        ["style"] = FeatureValue.FromString(style),
    };

    [Fact]
    public void AnAnalysisInsideTheTrainingRangesIsAtDistanceZero()
    {
        Assert.Equal(0, PreferenceUncertainty.Distance(Config, Row(7, 3, "parody")));
    }

    [Fact]
    public void DistanceIsTheMeanOverFeaturesOfHowManyTrainingRangesOutsideAValueFalls()
    {
        // a: 15 is half a range above 10; b: 1 is half a range below 2; style: unseen → 1; flag: 0. Mean over 4 sources.
        Assert.Equal((0.5 + 0.5 + 1 + 0) / 4, PreferenceUncertainty.Distance(Config, Row(15, 1, "slapstick")), 12);
    }

    [Fact]
    public void OneAbsurdValueCountsAtMostThreeRanges()
    {
        Assert.Equal(PreferenceUncertainty.MaxOutside, PreferenceUncertainty.Outside(new NumericParameters(0, 10, 5, 3, 5, 5), 1e9));
    }

    [Fact]
    public void MissingFeaturesRaiseUncertaintyThroughCoverage()
    {
        var model = PreferenceModel.FromLinear(new LinearPreferenceWeights(1, 0.5, [0.1, 0.1, 0.1, 0.1, 0.1]));
        var full = PreferenceUncertainty.Of(Config, model, Row(5, 3, "deadpan"));
        var partial = PreferenceUncertainty.Of(Config, model, new Dictionary<string, FeatureValue> { ["a"] = FeatureValue.FromNumber(5) });

        Assert.Equal((0, 1.0, null), (full.Uncertainty, full.Coverage, full.TreeSpread));
        Assert.Equal(1 - 1 / 5.0, partial.Uncertainty, 12);
    }

    [Fact]
    public void AForestsTreeOutputsAverageToItsPredictionAndTheirSpreadCounts()
    {
        var x = Enumerable.Range(0, 200).Select(i => new[] { i % 20 / 19.0, i * 7 % 13 / 12.0, i * 11 % 17 / 16.0 }).ToArray();
        var y = x.Select(r => 0.2 + 0.6 * r[0] + 0.1 * r[1]).ToArray();
        var forest = PreferenceModelTrainer.Train(PreferenceModelKind.RandomForest, x, y);

        foreach (var row in x.Take(5))
        {
            var trees = forest.TreeOutputs(row);
            Assert.Equal(100, trees.Length);
            Assert.Equal(forest.Predict(row), trees.Average(), 4);
        }
        Assert.Empty(PreferenceModel.FromLinear(new LinearPreferenceWeights(1, 0, [1, 1, 1])).TreeOutputs([0, 0, 0]));
    }
}
