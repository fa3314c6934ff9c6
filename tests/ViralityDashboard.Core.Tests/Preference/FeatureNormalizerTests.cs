using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class FeatureNormalizerTests
{
    private static IReadOnlyDictionary<string, FeatureValue> Row(params (string Key, FeatureValue Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static FeatureValue S(string s) => FeatureValue.FromString(s);

    private static FeatureValue N(double n) => FeatureValue.FromNumber(n);

    [Fact]
    public void OneHotWorksForKeysAndValuesWithUnderscoresWhereTheSeedAlwaysGaveZero()
    {
        // The seed looked the base key up by name.split('_')[0] ("production.budget", unknown) and read the
        // value after the last '_' ("24" of "18_24"), so both columns below were always 0.
        var rows = new[]
        {
            Row(("production.budget_level", S("very-high")), ("audience.targetAge", S("18-24"))),
            Row(("production.budget_level", S("low")), ("audience.targetAge", S("25-34"))),
        };
        var config = FeatureNormalizer.Fit(rows);

        var vector = FeatureNormalizer.Vectorize(config, rows[0]);

        Assert.Equal(
            ["audience.targetAge_18_24", "audience.targetAge_25_34", "production.budget_level_low", "production.budget_level_very_high"],
            config.FeatureNames);
        Assert.Equal([1.0, 0, 0, 1], vector);
        Assert.Equal(0, config.CategoricalMappings["production.budget_level"]["low"]);
        Assert.Equal(1, config.CategoricalMappings["production.budget_level"]["very-high"]);
    }

    [Fact]
    public void KeepsTwoCategoriesThatSanitizeAlikeApart()
    {
        var rows = new[] { Row(("style", S("A-B"))), Row(("style", S("a b"))) };
        var config = FeatureNormalizer.Fit(rows);

        var first = FeatureNormalizer.Vectorize(config, rows[0]);
        var second = FeatureNormalizer.Vectorize(config, rows[1]);

        Assert.Equal(["style_a_b", "style_a_b_2"], config.FeatureNames);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ScalesMinMaxAndReadsMissingAsZero()
    {
        var rows = new[] { Row(("x", N(2)), ("b", FeatureValue.FromBoolean(true))), Row(("x", N(6)), ("b", FeatureValue.FromBoolean(false))), Row(("x", N(4))) };
        var config = FeatureNormalizer.Fit(rows);

        var vectors = FeatureNormalizer.Vectorize(config, rows);

        Assert.Equal(["b", "x"], config.FeatureNames);
        Assert.Equal([1.0, 0], vectors[0]);
        Assert.Equal([0.0, 1], vectors[1]);
        Assert.Equal([0.0, 0.5], vectors[2]);
    }

    [Theory]
    [InlineData(NumericScaling.ZScore)]
    [InlineData(NumericScaling.Robust)]
    public void ScalesByZScoreOrRobustStatistics(NumericScaling method)
    {
        // 1, 3, 5, 7: mean 4 and population sd √5; median 4 and R7 quartiles 2.5 and 5.5 (IQR 3).
        double[] raw = [1, 3, 5, 7];
        var rows = raw.Select(v => Row(("x", N(v)))).ToArray();
        var config = FeatureNormalizer.Fit(rows, method);

        var values = FeatureNormalizer.Vectorize(config, rows).Select(v => v[0]).ToArray();

        var divisor = method == NumericScaling.ZScore ? Math.Sqrt(5) : 3;
        Assert.Equal(raw.Select(v => (v - 4) / divisor), values, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void DropsFeaturesBelowHalfCoverageAndFreeText()
    {
        // 21 distinct captions make "text" free text; "rare" is in 10 of 21 rows.
        var rows = Enumerable.Range(0, 21)
            .Select(i => Row([("kept", N(i)), ("text", S("caption " + i)), .. i < 10 ? new[] { ("rare", N(1)) } : []]))
            .ToArray();
        var typing = FeatureTyping.Describe(rows);

        var config = FeatureNormalizer.Fit(rows);

        Assert.Equal(10 / 21.0, typing.Single(m => m.Name == "rare").Coverage);
        Assert.Equal(FeatureType.Text, typing.Single(m => m.Name == "text").Type);
        Assert.Equal(["kept"], config.FeatureNames);
    }

    [Fact]
    public void TheConfigSurvivesAJsonRoundTripAndGivesTheSameVectorForTheSameJson()
    {
        const string json = """{"a":{"score":7,"flag":true,"kind":"x_y"},"list":["One","Two"]}""";
        var rows = new[]
        {
            AnalysisFlattener.Flatten(json),
            AnalysisFlattener.Flatten("""{"a":{"score":3,"flag":false,"kind":"z"},"list":["One"]}"""),
        };
        var config = FeatureNormalizer.Fit(rows, NumericScaling.Robust);

        var restored = NormalizationConfig.FromJson(config.ToJson());

        Assert.Equal(config.ToJson(), restored.ToJson());
        Assert.Equal(FeatureNormalizer.Vectorize(config, json), FeatureNormalizer.Vectorize(restored, json));
        Assert.Equal(FeatureNormalizer.Vectorize(restored, json), FeatureNormalizer.Vectorize(restored, json));
    }

    [Fact]
    public void ReadsAnAbsentStringArrayFlagAsFalseWhileTheArrayIsThere()
    {
        var rows = new[]
        {
            AnalysisFlattener.Flatten("""{"fx":["laugh"]}"""),
            AnalysisFlattener.Flatten("""{"fx":["ding"]}"""),
            AnalysisFlattener.Flatten("""{"fx":["ding"]}"""),
        };

        var config = FeatureNormalizer.Fit(rows);
        var vector = FeatureNormalizer.Vectorize(config, rows[1]);

        // Present in one video of three, the laugh flag still has full coverage: the others say "no laugh".
        Assert.Contains("fx_has_laugh", config.FeatureNames);
        Assert.Equal(0, vector[config.FeatureNames.ToList().IndexOf("fx_has_laugh")]);
        Assert.Equal(1.0, FeatureNormalizer.Coverage(config, rows[1]));
    }

    [Fact]
    public void CoverageCountsTheModelColumnsTheInputCarries()
    {
        var rows = new[] { Row(("a", N(1)), ("b", N(2))), Row(("a", N(3)), ("b", N(4))) };
        var config = FeatureNormalizer.Fit(rows);

        var coverage = FeatureNormalizer.Coverage(config, Row(("a", N(2)), ("other", N(9))));

        Assert.Equal(0.5, coverage);
    }
}
