using MathNet.Numerics.Statistics;

namespace ViralityDashboard.Core.Engagement;

/// <summary>
/// Percentiles as PostgreSQL's <c>percentile_cont</c> computes them: linear interpolation between
/// the closest ranks, position (n − 1)·p on the sorted values. That is Hyndman–Fan definition 7
/// (MathNet's <see cref="QuantileDefinition.R7"/>, also Excel's PERCENTILE.INC and NumPy's default).
/// </summary>
public static class PercentileCont
{
    public static double Of(IEnumerable<double> values, double fraction) => OfMany(values, [fraction])[0];

    /// <summary>Several percentiles from one sort of the data.</summary>
    public static double[] OfMany(IEnumerable<double> values, IReadOnlyList<double> fractions)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("Percentiles of an empty set are undefined.", nameof(values));
        Array.Sort(sorted);
        var result = new double[fractions.Count];
        for (var i = 0; i < fractions.Count; i++)
        {
            var p = fractions[i];
            if (p is < 0 or > 1 || double.IsNaN(p))
                throw new ArgumentOutOfRangeException(nameof(fractions), p, "A percentile fraction lies in [0, 1].");
            result[i] = SortedArrayStatistics.QuantileCustom(sorted, p, QuantileDefinition.R7);
        }
        return result;
    }
}
