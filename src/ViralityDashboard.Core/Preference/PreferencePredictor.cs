namespace ViralityDashboard.Core.Preference;

/// <param name="Value">The feature's normalized value in this input.</param>
/// <param name="Contribution">Its share of the 0–1 score: value × weight for ridge, ML.NET's contribution for trees.</param>
public sealed record FactorContribution(string Feature, double Value, double Contribution);

/// <param name="Score">0–10: the model's 0–1 output clamped, times 10.</param>
/// <param name="RawOutput">The model's unclamped 0–1 output (ridge includes its intercept).</param>
/// <param name="Coverage">Share of the model's features the input carries (0–1).</param>
/// <param name="Confidence">Coverage × the model's test R², clamped to 0–1.</param>
public sealed record PreferencePrediction(
    double Score,
    double RawOutput,
    double Confidence,
    double Coverage,
    IReadOnlyList<FactorContribution> TopFactors);

/// <summary>
/// An input that carries too few of the model's features to be scored. Scored anyway, JSON such as <c>{"foo":1}</c>
/// came out as the intercept, 4.7/10 at 0 % confidence, which reads like a prediction.
/// </summary>
public sealed class InsufficientCoverageException(double coverage, double minimum, int present, int columns) : ArgumentException(
    string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"The analysis carries {present} of the model's {columns} features ({coverage:0%} coverage); a prediction needs at least {minimum:0%}, the minimum coverage of training (seed 003 §3.3). Is it a visual analysis of the shape the model was trained on?"))
{
    public double Coverage { get; } = coverage;
    public double Minimum { get; } = minimum;
}

/// <summary>Seed 003 §7.2: score, confidence and the factors behind a prediction.</summary>
public static class PreferencePredictor
{
    public const int MaxFactors = 10;
    public const double MinimumContribution = 0.02;

    /// <summary>
    /// The seed summed value × weight without an intercept; ridge here is fitted with one (as scikit-learn's
    /// Ridge is by default), so the score includes it. The intercept is not listed as a factor.
    /// </summary>
    public static PreferencePrediction Predict(
        NormalizationConfig config,
        PreferenceModel model,
        double testR2,
        IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        if (config.Columns.Count != model.FeatureCount)
            throw new ArgumentException($"The config has {config.Columns.Count} columns but the model takes {model.FeatureCount} features.", nameof(config));

        var vector = FeatureNormalizer.Vectorize(config, flattened);
        var raw = model.Predict(vector);
        var contributions = model.Contributions(vector);
        var coverage = FeatureNormalizer.Coverage(config, flattened);
        var factors = contributions
            .Select((c, i) => new FactorContribution(config.Columns[i].Name, vector[i], c))
            .Where(f => Math.Abs(f.Contribution) > MinimumContribution)
            .OrderByDescending(f => Math.Abs(f.Contribution))
            .ThenBy(f => f.Feature, StringComparer.Ordinal)
            .Take(MaxFactors)
            .ToArray();
        return new PreferencePrediction(ToScore(raw), raw, Confidence(coverage, testR2), coverage, factors);
    }

    /// <exception cref="InsufficientCoverageException">The input carries less than <paramref name="minimum"/> of the config's columns.</exception>
    public static void RequireCoverage(NormalizationConfig config, IReadOnlyDictionary<string, FeatureValue> flattened, double minimum)
    {
        var coverage = FeatureNormalizer.Coverage(config, flattened);
        if (coverage < minimum)
            throw new InsufficientCoverageException(coverage, minimum, (int)Math.Round(coverage * config.Columns.Count), config.Columns.Count);
    }

    public static double ToScore(double rawOutput) => Math.Clamp(double.IsNaN(rawOutput) ? 0 : rawOutput, 0, 1) * 10;

    /// <summary>Coverage × R², clamped to 0–1 (a negative R² gives 0).</summary>
    public static double Confidence(double coverage, double r2) => Math.Clamp(coverage * r2, 0, 1);
}
