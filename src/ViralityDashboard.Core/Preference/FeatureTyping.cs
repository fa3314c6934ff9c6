namespace ViralityDashboard.Core.Preference;

public enum FeatureType
{
    Numeric,
    Boolean,
    Categorical,
    Text,
}

/// <summary>What one flattened key looks like over a whole set of analyses (seed 003 §3.2).</summary>
/// <param name="Min">Smallest value, numeric features only.</param>
/// <param name="Max">Largest value, numeric features only.</param>
/// <param name="Values">Distinct values in ordinal order, categorical features only.</param>
/// <param name="NullCount">Rows where the key is missing or null.</param>
/// <param name="Coverage">Share of rows with a value (0–1).</param>
public sealed record FeatureMetadata(
    string Name,
    FeatureType Type,
    double? Min,
    double? Max,
    IReadOnlyList<string>? Values,
    int NullCount,
    double Coverage)
{
    /// <summary>Kept for modelling: covered enough and not free text.</summary>
    public bool IsUsable(double minimumCoverage = FeatureTyping.MinimumCoverage) =>
        Type != FeatureType.Text && Coverage >= minimumCoverage;
}

/// <summary>
/// Types every flattened key over a set of analyses: numeric, boolean, categorical (at most 20 distinct
/// strings) or text. Unlike the seed, which looked at the first non-null value only, the type comes from
/// all values: numbers mixed with booleans are numeric (a boolean reads as 0/1), anything mixed with
/// strings is text. Keys come out in ordinal order so every later step is independent of row order.
/// </summary>
public static class FeatureTyping
{
    public const int MaxCategories = 20;
    public const double MinimumCoverage = 0.5;

    private const string HasMarker = "_has_";

    public static IReadOnlyList<FeatureMetadata> Describe(IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
            keys.UnionWith(row.Keys);

        var result = new List<FeatureMetadata>(keys.Count);
        foreach (var key in keys)
            result.Add(DescribeKey(key, rows));
        return result;
    }

    /// <summary>
    /// Whether <paramref name="row"/> carries a value for <paramref name="key"/>. A string-array flag
    /// (<c>x_has_v</c>) is only written when true, so while the array itself is there (<c>x_count</c>) a
    /// missing flag means false, not unknown; the seed counted it as missing, which dropped every flag
    /// present in fewer than half the videos.
    /// </summary>
    public static bool HasValue(IReadOnlyDictionary<string, FeatureValue> row, string key)
    {
        if (row.TryGetValue(key, out var value))
            return !value.IsNull;
        return ArrayCountKey(key) is { } countKey && row.TryGetValue(countKey, out var count) && !count.IsNull;
    }

    /// <summary>The value of <paramref name="key"/>, with an absent string-array flag read as false.</summary>
    public static FeatureValue ValueOf(IReadOnlyDictionary<string, FeatureValue> row, string key)
    {
        if (row.TryGetValue(key, out var value))
            return value;
        return HasValue(row, key) ? FeatureValue.FromBoolean(false) : FeatureValue.Null;
    }

    private static string? ArrayCountKey(string key)
    {
        var at = key.LastIndexOf(HasMarker, StringComparison.Ordinal);
        return at > 0 ? string.Concat(key.AsSpan(0, at), "_count") : null;
    }

    private static FeatureMetadata DescribeKey(string key, IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows)
    {
        int numbers = 0, booleans = 0, strings = 0, nulls = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var value = ValueOf(row, key);
            switch (value.Kind)
            {
                case FeatureValueKind.Number:
                    numbers++;
                    break;
                case FeatureValueKind.Boolean:
                    booleans++;
                    break;
                case FeatureValueKind.String:
                    strings++;
                    if (distinct.Count <= MaxCategories)
                        distinct.Add(value.Text!);
                    break;
                default:
                    nulls++;
                    continue;
            }

            if (value.AsNumber() is { } n)
            {
                min = Math.Min(min, n);
                max = Math.Max(max, n);
            }
        }

        var present = rows.Count - nulls;
        var coverage = rows.Count == 0 ? 0 : (double)present / rows.Count;
        if (present == 0)
            return new FeatureMetadata(key, FeatureType.Numeric, null, null, null, nulls, coverage);
        if (strings > 0)
        {
            return strings == present && distinct.Count <= MaxCategories
                ? new FeatureMetadata(key, FeatureType.Categorical, null, null, [.. distinct], nulls, coverage)
                : new FeatureMetadata(key, FeatureType.Text, null, null, null, nulls, coverage);
        }

        return numbers == 0
            ? new FeatureMetadata(key, FeatureType.Boolean, null, null, null, nulls, coverage)
            : new FeatureMetadata(key, FeatureType.Numeric, min, max, null, nulls, coverage);
    }
}
