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
}
