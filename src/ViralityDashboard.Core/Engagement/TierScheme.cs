using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Engagement;

/// <summary>What a tier label measures.</summary>
public enum TierMeasure
{
    /// <summary>View count; quintiles p20/p40/p60/p80 (seed 002, the retrain default).</summary>
    Views,
    /// <summary>Weighted engagement score; thresholds p25/p50/p75/p90 (seed 000).</summary>
    Wes,
}

/// <summary>
/// How videos are labelled with tiers 1–5: the measure and the four percentiles that separate the tiers.
/// Boundary rule: a value equal to a threshold belongs to the lower tier, i.e.
/// tier = 1 + (number of thresholds strictly below the value).
/// </summary>
[JsonConverter(typeof(TierSchemeNameConverter))]
public sealed record TierScheme(string Name, TierMeasure Measure, IReadOnlyList<double> Percentiles)
{
    public const int TierCount = 5;

    public static TierScheme Views { get; } = new("views", TierMeasure.Views, [0.20, 0.40, 0.60, 0.80]);
    public static TierScheme Wes { get; } = new("wes", TierMeasure.Wes, [0.25, 0.50, 0.75, 0.90]);

    public static IReadOnlyList<TierScheme> BuiltIn { get; } = [Views, Wes];

    public static TierScheme FromName(string name) =>
        BuiltIn.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown tier scheme '{name}'. Known: views, wes.", nameof(name));

    /// <summary>Raw fields the label is computed from; a feature sharing one of them may leak the label.</summary>
    public FeatureSource LabelSources => Measure switch
    {
        TierMeasure.Views => FeatureSource.Views,
        // WES divides engagement by views: every count it uses is part of the label.
        TierMeasure.Wes => FeatureSource.Views | FeatureSource.Likes | FeatureSource.Comments | FeatureSource.Shares | FeatureSource.Saves,
        _ => throw new InvalidOperationException($"Unknown measure {Measure}."),
    };

    /// <summary>Thresholds computed in memory (percentile_cont semantics) from the label values.</summary>
    public TierThresholds ComputeThresholds(IEnumerable<double> values) =>
        new(Name, Measure, Percentiles.ToArray(), PercentileCont.OfMany(values, Percentiles));
}

/// <summary>The thresholds of one run: stored with the run and the model version.</summary>
public sealed record TierThresholds(string Scheme, TierMeasure Measure, double[] Percentiles, double[] Values)
{
    public int Assign(double value)
    {
        var tier = 1;
        foreach (var threshold in Values)
            if (threshold < value)
                tier++;
        return tier;
    }

    public int[] AssignAll(IEnumerable<double> values) => values.Select(Assign).ToArray();

    /// <summary>Count per tier, index 0 = tier 1.</summary>
    public static int[] Distribution(IEnumerable<int> tiers)
    {
        var counts = new int[TierScheme.TierCount];
        foreach (var t in tiers)
            if (t is >= 1 and <= TierScheme.TierCount)
                counts[t - 1]++;
        return counts;
    }
}
