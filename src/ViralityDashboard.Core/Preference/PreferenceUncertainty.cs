namespace ViralityDashboard.Core.Preference;

/// <summary>How unsure a preference model is about one unrated analysis (the rating queue's active-learning order).</summary>
/// <param name="Uncertainty">What the queue sorts by, highest first: <see cref="Distance"/> + (1 − <see cref="Coverage"/>) + <see cref="TreeSpread"/>.</param>
/// <param name="Distance">Mean over the model's features that carry a value of how far it falls outside the training data (0 inside).</param>
/// <param name="Coverage">Share of the model's features the analysis carries (0–1).</param>
/// <param name="TreeSpread">Random forest only: standard deviation of the trees' predictions (0–1 score scale).</param>
public sealed record UncertaintyScore(double Uncertainty, double Distance, double Coverage, double? TreeSpread);

/// <summary>
/// Uncertainty of a preference model about an analysis, from what the version stores (its normalization's
/// training min–max and categories, and for a forest its trees). Pure and deterministic.
/// </summary>
public static class PreferenceUncertainty
{
    /// <summary>One feature counts at most this many training ranges outside, so one absurd value does not drown the rest.</summary>
    public const double MaxOutside = 3;

    public static UncertaintyScore Of(NormalizationConfig config, PreferenceModel model, IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        ArgumentNullException.ThrowIfNull(model);
        var distance = Distance(config, flattened);
        var coverage = FeatureNormalizer.Coverage(config, flattened);
        double? spread = model.Kind == PreferenceModelKind.RandomForest
            ? StandardDeviation(model.TreeOutputs(FeatureNormalizer.Vectorize(config, flattened)))
            : null;
        return new UncertaintyScore(distance + (1 - coverage) + (spread ?? 0), distance, coverage, spread);
    }

    /// <summary>
    /// Per source feature with a value: numeric → distance outside the training [min, max] in training ranges
    /// (capped at <see cref="MaxOutside"/>; a constant training feature counts 1 for any other value);
    /// categorical → 1 when the value is none of the training categories; boolean → 0 (both values were seen or
    /// the flag would not be a feature). The mean over those sources; missing values are left to coverage.
    /// </summary>
    public static double Distance(NormalizationConfig config, IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(flattened);
        double sum = 0;
        var counted = 0;
        foreach (var source in config.Columns.GroupBy(c => c.Source, StringComparer.Ordinal))
        {
            var value = FeatureTyping.ValueOf(flattened, source.Key);
            if (value.IsNull)
                continue;
            var first = source.First();
            switch (first.Kind)
            {
                case ColumnKind.Numeric when first.Numeric is { } p && value.AsNumber() is { } x:
                    sum += Outside(p, x);
                    counted++;
                    break;
                case ColumnKind.OneHot:
                    sum += value.Kind == FeatureValueKind.String && source.Any(c => string.Equals(c.Category, value.Text, StringComparison.Ordinal)) ? 0 : 1;
                    counted++;
                    break;
                case ColumnKind.Boolean:
                    counted++;
                    break;
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    public static double Outside(NumericParameters p, double x)
    {
        var range = p.Max - p.Min;
        if (range <= 0)
            return x == p.Min ? 0 : 1;
        var outside = Math.Max(0, Math.Max(p.Min - x, x - p.Max)) / range;
        return Math.Min(MaxOutside, outside);
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2)
            return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}
