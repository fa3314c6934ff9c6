using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public sealed class PreferencePredictorCoverageTests
{
    private static readonly NormalizationConfig Config = new(NumericScaling.MinMax,
    [
        new VectorColumn("a", "a", ColumnKind.Numeric, Numeric: new NumericParameters(0, 10, 5, 2, 5, 5)),
        new VectorColumn("b", "b", ColumnKind.Numeric, Numeric: new NumericParameters(0, 10, 5, 2, 5, 5)),
        new VectorColumn("c", "c", ColumnKind.Boolean),
        new VectorColumn("d", "d", ColumnKind.Boolean),
    ]);

    [Fact]
    public void JsonThatIsNotAVisualAnalysisIsRefusedNamingItsCoverageAndTheMinimum()
    {
        var error = Assert.Throws<InsufficientCoverageException>(() =>
            PreferencePredictor.RequireCoverage(Config, AnalysisFlattener.Flatten("""{"foo":1}"""), FeatureTyping.MinimumCoverage));

        Assert.Equal((0.0, 0.5), (error.Coverage, error.Minimum));
        Assert.StartsWith("The analysis carries 0 of the model's 4 features (0% coverage); a prediction needs at least 50%", error.Message);
    }

    [Fact]
    public void OneFeatureOfFourIsBelowTheMinimumAndTwoReachIt()
    {
        Assert.Throws<InsufficientCoverageException>(() => PreferencePredictor.RequireCoverage(Config, AnalysisFlattener.Flatten("""{"a":1}"""), 0.5));

        PreferencePredictor.RequireCoverage(Config, AnalysisFlattener.Flatten("""{"a":1,"c":true}"""), 0.5);
        Assert.Equal(0.5, FeatureNormalizer.Coverage(Config, AnalysisFlattener.Flatten("""{"a":1,"c":true}""")));
    }
}
