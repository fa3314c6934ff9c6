using ViralityDashboard.Core.Preference;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

/// <summary>
/// The owner's taste that the demo ratings are generated from: a linear function of a few flattened
/// analysis features (the expected correlations of seed 003 §4.2, with their signs) plus noise.
/// Published so tests and the Training page can check that a model recovers it.
/// </summary>
public static class DemoRatingModel
{
    /// <summary>One term: <c>weight × (value / scale − center)</c>, where value is the flattened feature read as a number.</summary>
    public sealed record Term(string Feature, double Weight, double Scale, double Center);

    public static IReadOnlyList<Term> OverallTerms { get; } =
    [
        new("script.replicability.score", 0.18, 10, 0.55),
        new("script.humor.comedyTiming", 0.20, 10, 0.60),
        new("script.structure.payoffStrength", 0.12, 10, 0.56),
        new("standalone.worksWithoutContext", 0.035, 1, 0.60),
        new("comedyStyle.contrastMechanism.present", 0.06, 1, 0.54),
        new("flexibility.swappableCore", 0.03, 1, 0.50),
        new("trends.memeDependent", -0.055, 1, 0.40),
        new("trends.usesPremadeSound", -0.065, 1, 0.33),
        new("casting.actingSkillRequired", -0.085, 10, 0.44),
        new("production.shotComplexity", -0.085, 10, 0.45),
        new("audio.soundEffects_count", -0.03, 1, 1.2),
        new("flexibility.industryLock", -0.055, 1, 0.28),
        new("casting.attractivenessDependency", -0.10, 10, 0.36),
    ];

    /// <summary>Spread of the owner's taste that no feature explains.</summary>
    public const double OverallNoise = 0.09;

    public static IEnumerable<string> PositiveFeatures => OverallTerms.Where(t => t.Weight > 0).Select(t => t.Feature);

    public static IEnumerable<string> NegativeFeatures => OverallTerms.Where(t => t.Weight < 0).Select(t => t.Feature);

    /// <summary>The noise-free overall score for a flattened analysis (before clamping to 0–1).</summary>
    public static double ExpectedOverall(IReadOnlyDictionary<string, FeatureValue> features) =>
        0.5 + OverallTerms.Sum(t => Contribution(t, features));

    internal static RatingRecord Rate(
        ScrapedVideoRecord video,
        IReadOnlyDictionary<string, FeatureValue> features,
        string rater,
        DateTimeOffset ratedAt,
        DemoRandom random)
    {
        var overall = ToScore(ExpectedOverall(features) + random.NextGaussian(0, OverallNoise));

        double? hook = null, pacing = null, payoff = null, originality = null, rewatchable = null;
        // Most of the time the owner also fills in the five dimensions; each leans on its own features.
        if (random.Chance(0.85))
        {
            hook = Dimension(0.5 + 0.45 * (Read(features, "script.structure.hookStrength") / 10 - 0.6)
                + 0.08 * (Read(features, "hook.firstSecondMotion") - 0.6)
                - 0.04 * (Read(features, "hook.timeToHookSeconds") - 1.5), overall, random);
            var cuts = Read(features, "pacing.cutsPerMinute");
            pacing = Dimension(0.5 - 0.4 * (Math.Min(Math.Abs(cuts - 14) / 14, 2) - 0.5)
                - 0.05 * (Read(features, "pacing.deadAirSeconds") - 1), overall, random);
            payoff = Dimension(0.5 + 0.5 * (Read(features, "script.structure.payoffStrength") / 10 - 0.57)
                + 0.2 * (Read(features, "script.humor.comedyTiming") / 10 - 0.6), overall, random);
            originality = Dimension(0.5 + 0.3 * (Read(features, "script.premise.novelty") / 10 - 0.55)
                - 0.12 * (Read(features, "trends.memeDependent") - 0.38)
                - 0.08 * (Read(features, "trends.usesPremadeSound") - 0.4), overall, random);
            rewatchable = Dimension(0.5 + 0.12 * (Read(features, "engagement.loopable") - 0.4)
                + 0.3 * (Read(features, "engagement.rewatchValue") / 10 - 0.55)
                + 0.15 * (Read(features, "script.humor.comedyTiming") / 10 - 0.6), overall, random);
        }

        var duration = video.DurationSeconds is > 0 and { } d ? d : 15;
        var seconds = Math.Round(Math.Clamp(duration * (1 + 0.8 * random.NextExponential()) + random.NextGaussian(15, 8), 4, 900), 1);

        return new RatingRecord(
            video.VideoId,
            rater,
            RaterType.Owner,
            overall,
            hook,
            pacing,
            payoff,
            originality,
            rewatchable,
            Notes(features, random),
            ratedAt,
            seconds);
    }

    private static double Contribution(Term term, IReadOnlyDictionary<string, FeatureValue> features) =>
        term.Weight * (Read(features, term.Feature) / term.Scale - term.Center);

    private static double Read(IReadOnlyDictionary<string, FeatureValue> features, string key) =>
        features.TryGetValue(key, out var value) ? value.AsNumber() ?? 0 : 0;

    private static double Dimension(double own, double overall, DemoRandom random) =>
        ToScore(0.55 * own + 0.45 * overall + random.NextGaussian(0, 0.07));

    private static double ToScore(double value) => Math.Round(Math.Clamp(value, 0, 1), 2);

    private static readonly Dictionary<string, (string Good, string Bad)> NotePhrases = new(StringComparer.Ordinal)
    {
        ["script.replicability.score"] = ("Easy to remake with what I have.", "Hard to replicate, too many moving parts."),
        ["script.humor.comedyTiming"] = ("Timing is spot on.", "The timing drags."),
        ["script.structure.payoffStrength"] = ("Great payoff at the end.", "Ending falls flat."),
        ["standalone.worksWithoutContext"] = ("Works on its own.", "Needs context to land."),
        ["comedyStyle.contrastMechanism.present"] = ("Love the contrast.", "No real contrast, so no surprise."),
        ["flexibility.swappableCore"] = ("Could swap in my own niche.", "Can't adapt this to my niche."),
        ["trends.memeDependent"] = ("Not leaning on a meme, good.", "Only works if you know the meme."),
        ["trends.usesPremadeSound"] = ("Own audio, nice.", "Carried by the trending sound."),
        ["casting.actingSkillRequired"] = ("Anyone could act this.", "Needs a real actor."),
        ["production.shotComplexity"] = ("Simple to shoot.", "Too many setups to shoot."),
        ["audio.soundEffects_count"] = ("Clean audio.", "Too many sound effects."),
        ["flexibility.industryLock"] = ("Not tied to one industry.", "Only makes sense in that industry."),
        ["casting.attractivenessDependency"] = ("Doesn't rely on looks.", "Relies on the looks of the cast."),
    };

    private static string? Notes(IReadOnlyDictionary<string, FeatureValue> features, DemoRandom random)
    {
        if (random.Chance(0.3))
            return null;
        var top = OverallTerms
            .Select(t => (t.Feature, Contribution: Contribution(t, features)))
            .OrderByDescending(c => Math.Abs(c.Contribution))
            .ThenBy(c => c.Feature, StringComparer.Ordinal)
            .Take(random.Chance(0.5) ? 1 : 2)
            .Select(c => c.Contribution >= 0 ? NotePhrases[c.Feature].Good : NotePhrases[c.Feature].Bad);
        return string.Join(" ", top);
    }
}
