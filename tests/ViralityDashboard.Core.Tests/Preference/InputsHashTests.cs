using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class InputsHashTests
{
    [Fact]
    public void KeyOrderAndWhitespaceDoNotChangeTheHash()
    {
        var a = InputsHash.Of(AnalysisFlattener.Flatten("""{"b": 1, "a": {"x": true, "y": ["P"]}}"""));
        var b = InputsHash.Of(AnalysisFlattener.Flatten("""{"a":{"y":["P"],"x":true},"b":1.0}"""));

        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{64}$", a);
    }

    [Fact]
    public void ADifferentValueOrValueKindChangesTheHash()
    {
        var number = InputsHash.Of(AnalysisFlattener.Flatten("""{"a": 1}"""));

        Assert.NotEqual(number, InputsHash.Of(AnalysisFlattener.Flatten("""{"a": 2}""")));
        Assert.NotEqual(number, InputsHash.Of(AnalysisFlattener.Flatten("""{"a": "1"}""")));
    }

    [Fact]
    public void EngagementFeaturesHashAlikeWhateverTheirOrderAndApartByAnyValue()
    {
        var a = InputsHash.Of(new Dictionary<string, float> { ["likeRate"] = 0.1f, ["shareRate"] = 0.02f });
        var b = InputsHash.Of(new Dictionary<string, float> { ["shareRate"] = 0.02f, ["likeRate"] = 0.1f });

        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, InputsHash.Of(new Dictionary<string, float> { ["likeRate"] = 0.1f, ["shareRate"] = 0.020001f }));
    }
}
