using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class FeatureTypingTests
{
    [Fact]
    public void TypesNumbersBooleansCategoriesAndTextWithRangesAndNullCounts()
    {
        var rows = Enumerable.Range(0, 25)
            .Select(i => AnalysisFlattener.Flatten($$"""{"n":{{i}},"b":{{(i % 2 == 0 ? "true" : "false")}},"c":"{{(i % 3 == 0 ? "a" : "b")}}","t":"caption {{i}}","z":{{(i < 5 ? "null" : "1")}}}"""))
            .ToArray();

        var metadata = FeatureTyping.Describe(rows).ToDictionary(m => m.Name);

        Assert.Equal(new FeatureMetadata("n", FeatureType.Numeric, 0, 24, null, 0, 1), metadata["n"]);
        Assert.Equal(FeatureType.Boolean, metadata["b"].Type);
        Assert.Equal(["a", "b"], metadata["c"].Values);
        Assert.Equal(FeatureType.Text, metadata["t"].Type);
        Assert.Equal(5, metadata["z"].NullCount);
        Assert.Equal(0.8, metadata["z"].Coverage);
    }

    [Fact]
    public void TreatsNumbersMixedWithBooleansAsNumericAndStringsMixedWithNumbersAsText()
    {
        var rows = new[]
        {
            AnalysisFlattener.Flatten("""{"m":true,"s":1}"""),
            AnalysisFlattener.Flatten("""{"m":3,"s":"one"}"""),
        };

        var metadata = FeatureTyping.Describe(rows).ToDictionary(m => m.Name);

        Assert.Equal(FeatureType.Numeric, metadata["m"].Type);
        Assert.Equal((1.0, 3.0), (metadata["m"].Min!.Value, metadata["m"].Max!.Value));
        Assert.Equal(FeatureType.Text, metadata["s"].Type);
    }
}
