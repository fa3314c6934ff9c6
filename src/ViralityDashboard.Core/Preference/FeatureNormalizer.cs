using System.Text.Json;
using System.Text.Json.Serialization;
using MathNet.Numerics.Statistics;

namespace ViralityDashboard.Core.Preference;

[JsonConverter(typeof(JsonStringEnumConverter<NumericScaling>))]
public enum NumericScaling
{
    /// <summary>(x − min) / (max − min); 0.5 when max = min (seed 003 §3.3). The default.</summary>
    MinMax,
    /// <summary>(x − mean) / standard deviation; 0 when the deviation is 0.</summary>
    ZScore,
    /// <summary>(x − median) / interquartile range, falling back to max − min when the IQR is 0.</summary>
    Robust,
}

[JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))]
public enum ColumnKind
{
    Numeric,
    Boolean,
    OneHot,
}

/// <summary>Training statistics of one numeric feature (population standard deviation; R7 quartiles).</summary>
public sealed record NumericParameters(
    double Min,
    double Max,
    double Mean,
    double StandardDeviation,
    double Median,
    double InterquartileRange);

/// <summary>
/// One entry of the model's feature vector. A one-hot column names its source key in full and the raw
/// category it stands for, so nothing is ever parsed back out of <see cref="Name"/> (the seed split names
/// on the first '_', which broke keys and values containing '_').
/// </summary>
/// <param name="Name">Vector feature name: the key, or <c>key_sanitizedValue</c> for one-hot columns.</param>
/// <param name="Source">The flattened key the value is read from.</param>
/// <param name="Category">The raw category (one-hot only).</param>
/// <param name="Numeric">Scaling statistics (numeric only).</param>
public sealed record VectorColumn(
    string Name,
    string Source,
    ColumnKind Kind,
    string? Category = null,
    NumericParameters? Numeric = null);

/// <summary>
/// How a flattened analysis becomes the model's vector; stored with the model version as JSON.
/// The same configuration and the same analysis always give the same vector.
/// </summary>
public sealed record NormalizationConfig(NumericScaling Method, IReadOnlyList<VectorColumn> Columns)
{
    [JsonIgnore]
    public IReadOnlyList<string> FeatureNames => Columns.Select(c => c.Name).ToArray();

    /// <summary>Categorical mappings as in the seed's config: full base key → raw value → one-hot index.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> CategoricalMappings =>
        Columns.Where(c => c.Kind == ColumnKind.OneHot)
            .GroupBy(c => c.Source, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, int>)g.Select((c, i) => (c.Category!, i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal),
                StringComparer.Ordinal);

    /// <summary>The same configuration with only the named columns, in their current order.</summary>
    public NormalizationConfig Keep(IEnumerable<string> featureNames)
    {
        var keep = featureNames.ToHashSet(StringComparer.Ordinal);
        return this with { Columns = Columns.Where(c => keep.Contains(c.Name)).ToArray() };
    }

    public string ToJson() => JsonSerializer.Serialize(this, FeatureNormalizer.JsonOptions);

    public static NormalizationConfig FromJson(string json) =>
        JsonSerializer.Deserialize<NormalizationConfig>(json, FeatureNormalizer.JsonOptions)
        ?? throw new JsonException("A normalization config cannot be null.");
}

/// <summary>
/// Fits a <see cref="NormalizationConfig"/> on training analyses (seed 003 §3.3, with the one-hot fix)
/// and applies it. Missing values become 0 whatever the scaling, as in the seed; numeric values outside
/// the training range are not clamped, so a linear model extrapolates rather than saturating silently.
/// </summary>
public static class FeatureNormalizer
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static NormalizationConfig Fit(
        IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows,
        NumericScaling method = NumericScaling.MinMax,
        double minimumCoverage = FeatureTyping.MinimumCoverage) =>
        Fit(rows, FeatureTyping.Describe(rows), method, minimumCoverage);

    public static NormalizationConfig Fit(
        IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows,
        IReadOnlyList<FeatureMetadata> metadata,
        NumericScaling method = NumericScaling.MinMax,
        double minimumCoverage = FeatureTyping.MinimumCoverage)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metadata);
        var columns = new List<VectorColumn>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var meta in metadata.Where(m => m.IsUsable(minimumCoverage)).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            switch (meta.Type)
            {
                case FeatureType.Numeric:
                    columns.Add(new VectorColumn(meta.Name, meta.Name, ColumnKind.Numeric, Numeric: Statistics(rows, meta.Name)));
                    names.Add(meta.Name);
                    break;
                case FeatureType.Boolean:
                    columns.Add(new VectorColumn(meta.Name, meta.Name, ColumnKind.Boolean));
                    names.Add(meta.Name);
                    break;
                case FeatureType.Categorical:
                    foreach (var category in meta.Values!)
                    {
                        // Two raw values can sanitize alike ("A-B", "a b"): keep both columns, distinctly named.
                        var name = meta.Name + "_" + AnalysisFlattener.Sanitize(category);
                        for (var n = 2; !names.Add(name); n++)
                            name = meta.Name + "_" + AnalysisFlattener.Sanitize(category) + "_" + n;
                        columns.Add(new VectorColumn(name, meta.Name, ColumnKind.OneHot, Category: category));
                    }
                    break;
            }
        }

        return new NormalizationConfig(method, columns);
    }

    public static double[] Vectorize(NormalizationConfig config, string analysisJson) =>
        Vectorize(config, AnalysisFlattener.Flatten(analysisJson));

    public static double[] Vectorize(NormalizationConfig config, IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(flattened);
        var vector = new double[config.Columns.Count];
        for (var i = 0; i < vector.Length; i++)
            vector[i] = Value(config.Method, config.Columns[i], flattened);
        return vector;
    }

    public static double[][] Vectorize(NormalizationConfig config, IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows) =>
        rows.Select(r => Vectorize(config, r)).ToArray();

    /// <summary>Share of the config's columns whose source key has a value in <paramref name="flattened"/> (0–1).</summary>
    public static double Coverage(NormalizationConfig config, IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        if (config.Columns.Count == 0)
            return 0;
        var present = config.Columns.Count(c => FeatureTyping.HasValue(flattened, c.Source));
        return (double)present / config.Columns.Count;
    }

    public static double Scale(NumericScaling method, NumericParameters p, double x) => method switch
    {
        NumericScaling.MinMax => p.Max == p.Min ? 0.5 : (x - p.Min) / (p.Max - p.Min),
        NumericScaling.ZScore => p.StandardDeviation == 0 ? 0 : (x - p.Mean) / p.StandardDeviation,
        NumericScaling.Robust => p.InterquartileRange != 0 ? (x - p.Median) / p.InterquartileRange
            : p.Max != p.Min ? (x - p.Median) / (p.Max - p.Min) : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown scaling."),
    };

    private static double Value(NumericScaling method, VectorColumn column, IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        var value = FeatureTyping.ValueOf(flattened, column.Source);
        switch (column.Kind)
        {
            case ColumnKind.OneHot:
                return value.Kind == FeatureValueKind.String && string.Equals(value.Text, column.Category, StringComparison.Ordinal) ? 1 : 0;
            case ColumnKind.Boolean:
                return value.AsNumber() is { } b && b != 0 ? 1 : 0;
            case ColumnKind.Numeric:
                if (value.AsNumber() is not { } x)
                    return 0;
                return Scale(method, column.Numeric ?? throw new InvalidOperationException($"Numeric column {column.Name} has no parameters."), x);
            default:
                throw new InvalidOperationException($"Unknown column kind {column.Kind}.");
        }
    }

    private static NumericParameters Statistics(IReadOnlyList<IReadOnlyDictionary<string, FeatureValue>> rows, string key)
    {
        var values = new List<double>(rows.Count);
        foreach (var row in rows)
        {
            if (FeatureTyping.ValueOf(row, key).AsNumber() is { } x)
                values.Add(x);
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var lower = SortedArrayStatistics.QuantileCustom(sorted, 0.25, QuantileDefinition.R7);
        var upper = SortedArrayStatistics.QuantileCustom(sorted, 0.75, QuantileDefinition.R7);
        return new NumericParameters(
            sorted[0],
            sorted[^1],
            sorted.Average(),
            sorted.PopulationStandardDeviation(),
            SortedArrayStatistics.QuantileCustom(sorted, 0.5, QuantileDefinition.R7),
            upper - lower);
    }
}
