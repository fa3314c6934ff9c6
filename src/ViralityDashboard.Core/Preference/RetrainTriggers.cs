using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Preference;

/// <summary>Seed 003 §9's retrain triggers. Bound from configuration by the Training layer.</summary>
/// <param name="NewRatings">Retrain after this many ratings newer than the active version's training rows.</param>
/// <param name="MaeDegradation">Retrain when the active model's MAE on newer ratings exceeds its test MAE by this much.</param>
/// <param name="MinimumNewerRatings">Newer ratings needed before degradation is judged.</param>
/// <param name="FeatureDrift">Retrain when the mean PSI over the model's features reaches this.</param>
/// <param name="MinimumRecentRows">Recent rows needed before drift is judged (PSI of a small sample is noisy).</param>
public sealed record RetrainTriggerOptions(
    int NewRatings = 50,
    double MaeDegradation = 0.05,
    int MinimumNewerRatings = 20,
    double FeatureDrift = 0.1,
    int MinimumRecentRows = 50);

[JsonConverter(typeof(JsonStringEnumConverter<RetrainTriggerKind>))]
public enum RetrainTriggerKind
{
    NewRatings,
    PerformanceDegradation,
    FeatureDrift,
}

/// <summary>One rule's verdict and the figures behind it, recorded with a triggered run.</summary>
/// <param name="Value">New-rating count, MAE increase, or mean PSI.</param>
/// <param name="Features">Per-feature PSI, largest first (drift only).</param>
public sealed record TriggerOutcome(
    RetrainTriggerKind Trigger,
    bool Fired,
    double Value,
    double Threshold,
    int RowCount,
    string Reason,
    IReadOnlyList<FeatureDrift>? Features = null);

public sealed record RetrainCheck(bool Retrain, IReadOnlyList<TriggerOutcome> Outcomes)
{
    [JsonIgnore]
    public IEnumerable<TriggerOutcome> Fired => Outcomes.Where(o => o.Fired);
}

/// <summary>
/// What the check looks at; the database side gathers it. Degradation and drift are skipped (not fired)
/// when their inputs are absent.
/// </summary>
/// <param name="NewerActual">Owner scores of ratings that arrived after the active version was trained.</param>
/// <param name="NewerPredicted">The active model's predictions for those same videos (0–1).</param>
/// <param name="RecentVectors">Recent analyses vectorized with the active version's normalization config.</param>
public sealed record RetrainCheckInput(
    int NewRatingsSinceActive,
    double? ActiveTestMae = null,
    IReadOnlyList<double>? NewerActual = null,
    IReadOnlyList<double>? NewerPredicted = null,
    DriftReference? DriftReference = null,
    IReadOnlyList<double[]>? RecentVectors = null);

public static class RetrainTriggers
{
    public static RetrainCheck Evaluate(RetrainCheckInput input, RetrainTriggerOptions? options = null)
    {
        options ??= new RetrainTriggerOptions();
        var outcomes = new List<TriggerOutcome> { NewRatings(input.NewRatingsSinceActive, options) };
        if (input is { ActiveTestMae: { } testMae, NewerActual: { } actual, NewerPredicted: { } predicted })
            outcomes.Add(Degradation(testMae, actual, predicted, options));
        if (input is { DriftReference: { } reference, RecentVectors: { } recent })
            outcomes.Add(Drift(reference, recent, options));
        return new RetrainCheck(outcomes.Any(o => o.Fired), outcomes);
    }

    public static TriggerOutcome NewRatings(int newRatings, RetrainTriggerOptions? options = null)
    {
        options ??= new RetrainTriggerOptions();
        var fired = newRatings >= options.NewRatings;
        return new TriggerOutcome(RetrainTriggerKind.NewRatings, fired, newRatings, options.NewRatings, newRatings,
            fired
                ? $"{newRatings} new ratings since the active version (threshold {options.NewRatings})."
                : $"{newRatings} of {options.NewRatings} new ratings needed.");
    }

    public static TriggerOutcome Degradation(double activeTestMae, IReadOnlyList<double> actual, IReadOnlyList<double> predicted, RetrainTriggerOptions? options = null)
    {
        options ??= new RetrainTriggerOptions();
        var count = actual.Count;
        if (count < options.MinimumNewerRatings)
        {
            return new TriggerOutcome(RetrainTriggerKind.PerformanceDegradation, false, 0, options.MaeDegradation, count,
                $"{count} newer ratings; {options.MinimumNewerRatings} needed to judge degradation.");
        }

        var live = PreferenceMetrics.Evaluate(actual, predicted).Mae;
        var increase = live - activeTestMae;
        // A hair of tolerance: 0.65 − 0.5 − 0.10 is 0.04999… in binary floating point.
        var fired = increase >= options.MaeDegradation - 1e-12;
        return new TriggerOutcome(RetrainTriggerKind.PerformanceDegradation, fired, increase, options.MaeDegradation, count,
            FormattableString.Invariant(
                $"MAE {live:0.000} on {count} newer ratings vs test MAE {activeTestMae:0.000}: {(increase >= 0 ? "+" : "")}{increase:0.000} (threshold +{options.MaeDegradation:0.000})."));
    }

    public static TriggerOutcome Drift(DriftReference reference, IReadOnlyList<double[]> recentVectors, RetrainTriggerOptions? options = null)
    {
        options ??= new RetrainTriggerOptions();
        var count = recentVectors.Count;
        if (count < options.MinimumRecentRows || reference.Features.Count == 0)
        {
            return new TriggerOutcome(RetrainTriggerKind.FeatureDrift, false, 0, options.FeatureDrift, count,
                $"{count} recent rows; {options.MinimumRecentRows} needed to judge drift.");
        }

        var features = PopulationStability.Measure(reference, recentVectors);
        var mean = features.Average(f => f.Psi);
        var fired = mean >= options.FeatureDrift;
        var top = string.Join(", ", features.Take(3).Select(f => FormattableString.Invariant($"{f.Feature} {f.Psi:0.00}")));
        return new TriggerOutcome(RetrainTriggerKind.FeatureDrift, fired, mean, options.FeatureDrift, count,
            FormattableString.Invariant($"Mean PSI {mean:0.000} over {features.Count} features on {count} recent rows (threshold {options.FeatureDrift:0.00}); largest: {top}."),
            features);
    }
}
