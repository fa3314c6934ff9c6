using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class CorrelationAnalysisTests
{
    // Reference values: two-sided p of t = r·√((n−2)/(1−r²)) with n − 2 degrees of freedom, computed
    // independently by Simpson integration of Student's t density (200,000 steps) in Python.
    [Theory]
    [InlineData(0.5, 20, 0.0247696)]
    [InlineData(0.3, 50, 0.0342862)]
    [InlineData(-0.8, 10, 0.0054560)]
    public void PValueOfAKnownRAndNMatchesAnIndependentComputation(double r, int n, double expected)
    {
        var p = CorrelationAnalysis.PValue(r, n);

        Assert.Equal(expected, p, 6);
    }

    [Fact]
    public void PearsonOfAPerfectLineIsOneWithPZeroAndOfAConstantIsZeroWithPOne()
    {
        double[] x = [1, 2, 3, 4, 5];

        var line = CorrelationAnalysis.Pearson(x, x.Select(v => 3 - 2 * v).ToArray());
        var constant = CorrelationAnalysis.Pearson(x, [2, 2, 2, 2, 2]);

        Assert.Equal((-1.0, 0.0), line);
        Assert.Equal((0.0, 1.0), constant);
    }

    [Theory]
    [InlineData(0.5, 0.0099, Significance.High)]
    [InlineData(-0.5, 0.01, Significance.Medium)]
    [InlineData(0.49, 0.001, Significance.Medium)]
    [InlineData(0.3, 0.0499, Significance.Medium)]
    [InlineData(0.3, 0.05, Significance.Low)]
    [InlineData(-0.15, 0.0999, Significance.Low)]
    [InlineData(0.15, 0.1, Significance.None)]
    [InlineData(0.149, 0.0001, Significance.None)]
    public void ClassifiesSignificanceByTheSeedsLevels(double r, double p, Significance expected)
    {
        var level = CorrelationAnalysis.Classify(r, p);

        Assert.Equal(expected, level);
    }

    [Fact]
    public void SortsFeaturesByAbsoluteCorrelation()
    {
        double[] y = [1, 2, 3, 4, 5, 6];
        var x = y.Select(v => new[] { v % 2, -v, v * v }).ToArray();

        var result = CorrelationAnalysis.Analyze(x, y, ["parity", "negative", "square"]);

        Assert.Equal(["negative", "square", "parity"], result.Select(c => c.Feature));
        Assert.Equal(-1, result[0].R, 12);
    }

    [Fact]
    public void ChecksExpectationsForSignAndSignificance()
    {
        FeatureCorrelation[] correlations =
        [
            new("good", 0.6, 0.001, Significance.High),
            new("weak", 0.1, 0.4, Significance.None),
            new("flipped", 0.4, 0.01, Significance.Medium),
        ];

        var checks = CorrelationAnalysis.Check(correlations, [new("good", +1), new("weak", +1), new("flipped", -1), new("absent", -1)]);

        Assert.Equal(
            [ExpectationOutcome.Confirmed, ExpectationOutcome.NotSignificant, ExpectationOutcome.Contradicted, ExpectationOutcome.Missing],
            checks.Select(c => c.Outcome));
    }

    [Fact]
    public void SnapshotListsAtMostTwentyOfEachSignStrongestFirst()
    {
        var correlations = Enumerable.Range(1, 30)
            .SelectMany(i => new[] { new FeatureCorrelation($"p{i}", i / 100.0, 0.5, Significance.None), new FeatureCorrelation($"n{i}", -i / 100.0, 0.5, Significance.None) })
            .ToArray();

        var snapshot = CorrelationAnalysis.Snapshot(150, correlations);

        Assert.Equal(20, snapshot.TopPositive.Count);
        Assert.Equal(20, snapshot.TopNegative.Count);
        Assert.Equal("p30", snapshot.TopPositive[0].Feature);
        Assert.Equal("n30", snapshot.TopNegative[0].Feature);
        Assert.Equal(60, snapshot.FeatureCount);
    }
}
