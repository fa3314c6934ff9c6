using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

public class PopulationStabilityTests
{
    [Fact]
    public void PsiOfKnownDistributionsMatchesTheFormula()
    {
        // (0.9 − 0.5)·ln(0.9/0.5) + (0.1 − 0.5)·ln(0.1/0.5) = 0.4·ln 1.8 + 0.4·ln 5
        var psi = PopulationStability.Psi([0.5, 0.5], [0.9, 0.1]);

        Assert.Equal(0.4 * Math.Log(1.8) + 0.4 * Math.Log(5), psi, 12);
    }

    [Fact]
    public void PsiOfIdenticalDistributionsIsZero()
    {
        var psi = PopulationStability.Psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]);

        Assert.Equal(0, psi);
    }

    [Fact]
    public void AnEmptyBinCountsAsEpsilonSoPsiStaysFinite()
    {
        var psi = PopulationStability.Psi([0.5, 0.5], [1.0, 0.0]);

        var eps = PopulationStability.Epsilon;
        Assert.Equal(0.5 * Math.Log(2) + (eps - 0.5) * Math.Log(eps / 0.5), psi, 12);
    }

    [Fact]
    public void FitsQuantileBinsOnManyValuesAndOneBinPerValueOnFew()
    {
        var many = PopulationStability.FitBins("x", Enumerable.Range(1, 100).Select(i => (double)i).ToArray(), binCount: 5);
        var few = PopulationStability.FitBins("b", [0, 1, 1, 1], binCount: 5);

        Assert.Equal([20.8, 40.6, 60.4, 80.2], many.UpperEdges, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.All(many.Proportions, p => Assert.Equal(0.2, p, 12));
        Assert.Equal([0.0], few.UpperEdges);
        Assert.Equal([0.25, 0.75], few.Proportions);
    }

    [Fact]
    public void ValuesOutsideTheTrainingRangeLandInTheOpenEndBins()
    {
        double[] edges = [1, 2, 3];

        var bins = new[] { -10.0, 1, 1.5, 3, 99 }.Select(v => PopulationStability.BinOf(edges, v));

        Assert.Equal([0, 0, 1, 2, 3], bins);
    }

    [Fact]
    public void MeasureReportsEveryFeatureLargestDriftFirst()
    {
        var training = Enumerable.Range(0, 200).Select(i => new[] { i % 100 / 100.0, i % 2 }).ToArray();
        var reference = PopulationStability.Reference(training, ["shifted", "same"]);
        var recent = Enumerable.Range(0, 200).Select(i => new[] { 0.5 + i % 100 / 200.0, i % 2 }).ToArray();

        var drift = PopulationStability.Measure(reference, recent);

        Assert.Equal(["shifted", "same"], drift.Select(d => d.Feature));
        Assert.True(drift[0].Psi > 1, $"PSI of the shifted feature was {drift[0].Psi}.");
        Assert.Equal(0, drift[1].Psi, 12);
    }
}
