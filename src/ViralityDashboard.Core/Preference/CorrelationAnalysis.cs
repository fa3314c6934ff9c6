using System.Text.Json.Serialization;
using MathNet.Numerics.Distributions;

namespace ViralityDashboard.Core.Preference;

[JsonConverter(typeof(JsonStringEnumConverter<Significance>))]
public enum Significance
{
    None,
    Low,
    Medium,
    High,
}

public sealed record FeatureCorrelation(string Feature, double R, double PValue, Significance Level);

/// <summary>A feature the owner's taste is expected to follow (seed 003 §4.2), with the expected sign (+1 or −1).</summary>
public sealed record ExpectedCorrelation(string Feature, int Sign);

[JsonConverter(typeof(JsonStringEnumConverter<ExpectationOutcome>))]
public enum ExpectationOutcome
{
    /// <summary>Right sign at or above the required significance.</summary>
    Confirmed,
    /// <summary>Right sign, below the required significance.</summary>
    NotSignificant,
    /// <summary>The opposite sign at or above the required significance.</summary>
    Contradicted,
    /// <summary>The opposite sign, below the required significance.</summary>
    WrongSignNotSignificant,
    /// <summary>Not among the analysed features (missing, dropped for coverage, or pruned).</summary>
    Missing,
}

public sealed record ExpectedCorrelationCheck(
    string Feature,
    int ExpectedSign,
    double? R,
    double? PValue,
    Significance Level,
    ExpectationOutcome Outcome);

/// <summary>The correlation picture at one point in time (seed 003 §8: "feature_importance_snapshot").</summary>
public sealed record FeatureImportanceSnapshot(
    int RowCount,
    int FeatureCount,
    IReadOnlyList<FeatureCorrelation> TopPositive,
    IReadOnlyList<FeatureCorrelation> TopNegative,
    IReadOnlyList<ExpectedCorrelationCheck> Expected,
    int HighCount,
    int MediumCount,
    int LowCount);

/// <summary>
/// Pearson correlation of each feature with the score, the two-sided p-value from Student's t with
/// n − 2 degrees of freedom (seed 003 §4.1), and the seed's significance levels.
/// </summary>
public static class CorrelationAnalysis
{
    public const int SnapshotSize = 20;

    /// <summary>The seed's §4.2 list: six expected positive and seven expected negative features.</summary>
    public static IReadOnlyList<ExpectedCorrelation> SeedExpectations { get; } =
    [
        new("script.replicability.score", +1),
        new("script.humor.comedyTiming", +1),
        new("standalone.worksWithoutContext", +1),
        new("comedyStyle.contrastMechanism.present", +1),
        new("flexibility.swappableCore", +1),
        new("script.structure.payoffStrength", +1),
        new("trends.memeDependent", -1),
        new("trends.usesPremadeSound", -1),
        new("casting.actingSkillRequired", -1),
        new("production.shotComplexity", -1),
        new("audio.soundEffects_count", -1),
        new("flexibility.industryLock", -1),
        new("casting.attractivenessDependency", -1),
    ];

    /// <summary>
    /// r and its two-sided p-value. Fewer than 3 points or a constant series give r = 0, p = 1 (no evidence);
    /// |r| = 1 gives p = 0.
    /// </summary>
    public static (double R, double PValue) Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException("Both series need the same length.");
        var n = x.Count;
        if (n < 3)
            return (0, 1);

        // Centred sums: the seed's raw-sum formula loses precision when values are large and alike.
        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        if (sxx <= 0 || syy <= 0)
            return (0, 1);
        var r = Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
        return (r, PValue(r, n));
    }

    /// <summary>Two-sided p of r over n pairs: t = r·√((n − 2)/(1 − r²)), p = 2·P(T ≤ −|t|), T ~ t(n − 2).</summary>
    public static double PValue(double r, int n)
    {
        if (n < 3)
            return 1;
        if (Math.Abs(r) >= 1)
            return 0;
        var t = Math.Abs(r) * Math.Sqrt((n - 2) / (1 - r * r));
        // The lower tail keeps precision where 1 − CDF(t) would round to 0.
        return Math.Min(1, 2 * StudentT.CDF(0, 1, n - 2, -t));
    }

    public static Significance Classify(double r, double pValue)
    {
        var a = Math.Abs(r);
        if (a >= 0.5 && pValue < 0.01)
            return Significance.High;
        if (a >= 0.3 && pValue < 0.05)
            return Significance.Medium;
        if (a >= 0.15 && pValue < 0.1)
            return Significance.Low;
        return Significance.None;
    }

    /// <summary>Every column against the target, strongest |r| first (ties by name).</summary>
    public static IReadOnlyList<FeatureCorrelation> Analyze(
        IReadOnlyList<double[]> features,
        IReadOnlyList<double> target,
        IReadOnlyList<string> featureNames)
    {
        if (features.Count != target.Count)
            throw new ArgumentException("Features and target differ in length.");
        var results = new List<FeatureCorrelation>(featureNames.Count);
        var column = new double[features.Count];
        for (var j = 0; j < featureNames.Count; j++)
        {
            for (var i = 0; i < column.Length; i++)
                column[i] = features[i][j];
            var (r, p) = Pearson(column, target);
            results.Add(new FeatureCorrelation(featureNames[j], r, p, Classify(r, p)));
        }

        return results
            .OrderByDescending(c => Math.Abs(c.R))
            .ThenBy(c => c.Feature, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// For each expectation, whether the data agree: right sign and at least <paramref name="minimumLevel"/>.
    /// Expectations name vector columns (a one-hot column by its <c>key_value</c> name).
    /// </summary>
    public static IReadOnlyList<ExpectedCorrelationCheck> Check(
        IReadOnlyList<FeatureCorrelation> correlations,
        IReadOnlyList<ExpectedCorrelation> expectations,
        Significance minimumLevel = Significance.Low)
    {
        var byName = correlations.ToDictionary(c => c.Feature, StringComparer.Ordinal);
        var checks = new List<ExpectedCorrelationCheck>(expectations.Count);
        foreach (var e in expectations)
        {
            if (e.Sign is not (1 or -1))
                throw new ArgumentException($"Expected sign of {e.Feature} must be +1 or −1.", nameof(expectations));
            if (!byName.TryGetValue(e.Feature, out var c))
            {
                checks.Add(new ExpectedCorrelationCheck(e.Feature, e.Sign, null, null, Significance.None, ExpectationOutcome.Missing));
                continue;
            }

            var rightSign = Math.Sign(c.R) == e.Sign;
            var significant = c.Level >= minimumLevel && c.Level != Significance.None;
            var outcome = (rightSign, significant) switch
            {
                (true, true) => ExpectationOutcome.Confirmed,
                (true, false) => ExpectationOutcome.NotSignificant,
                (false, true) => ExpectationOutcome.Contradicted,
                _ => ExpectationOutcome.WrongSignNotSignificant,
            };
            checks.Add(new ExpectedCorrelationCheck(e.Feature, e.Sign, c.R, c.PValue, c.Level, outcome));
        }

        return checks;
    }

    public static FeatureImportanceSnapshot Snapshot(
        int rowCount,
        IReadOnlyList<FeatureCorrelation> correlations,
        IReadOnlyList<ExpectedCorrelation>? expectations = null,
        int size = SnapshotSize)
    {
        var positive = correlations.Where(c => c.R > 0).OrderByDescending(c => c.R).ThenBy(c => c.Feature, StringComparer.Ordinal).Take(size).ToArray();
        var negative = correlations.Where(c => c.R < 0).OrderBy(c => c.R).ThenBy(c => c.Feature, StringComparer.Ordinal).Take(size).ToArray();
        return new FeatureImportanceSnapshot(
            rowCount,
            correlations.Count,
            positive,
            negative,
            Check(correlations, expectations ?? SeedExpectations),
            correlations.Count(c => c.Level == Significance.High),
            correlations.Count(c => c.Level == Significance.Medium),
            correlations.Count(c => c.Level == Significance.Low));
    }
}
