using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>
/// Turns a scraped video into a feature vector. All values are clamped to 0–1 as in seed 004.
/// Posting time is read in UTC; an unknown posting time gives 0 for weekday and hour (the seed used
/// the current clock, which would make features depend on when the run happens).
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Saves per like assumed when the source has no saves (seed 002).</summary>
    public const double EstimatedSavesPerLike = 0.15;

    /// <summary>Duration assumed when the source has none (seed 004).</summary>
    public const double DefaultDurationSeconds = 30;

    public static float[] Extract(ScrapedVideoRecord video, FeatureSet set)
    {
        var all = ExtractSeed15(video);
        if (ReferenceEquals(set, FeatureSet.Seed15))
            return all;
        var result = new float[set.Count];
        for (var i = 0; i < set.Count; i++)
        {
            var name = set.Features[i].Name;
            var index = FeatureSet.Seed15.IndexOf(name);
            result[i] = index >= 0 ? all[index] : name switch
            {
                EarlyFeatures.LogViews => Clamp01(Math.Log10(1 + Math.Max(video.Views, 0)) / EarlyFeatures.LogViewsScale),
                EarlyFeatures.LogAgeHours => Clamp01(Math.Log10(1 + (video.AgeHours ?? 0)) / EarlyFeatures.LogAgeScale),
                EarlyFeatures.AgeFromFirstSeen => video.CreatedAt is null ? 1f : 0f,
                _ => throw new ArgumentException($"Feature '{name}' has no extractor.", nameof(set)),
            };
        }
        return result;
    }

    /// <summary>The 15 seed features, in <see cref="FeatureSet.Seed15"/> order.</summary>
    public static float[] ExtractSeed15(ScrapedVideoRecord v)
    {
        double views = Math.Max(v.Views, 1);
        double likes = v.Likes;
        var saves = EffectiveSaves(v);
        var hasFollowers = v.AuthorFollowers is > 0;
        var posted = v.CreatedAt?.UtcDateTime;
        // Unknown comments (turned off) give 0 for both comment rates, as an unknown posting time gives 0: such
        // videos are flagged and never trained on, and the API and the predictor form require a comment count.
        double comments = v.Comments ?? 0;

        return
        [
            Clamp01(v.Shares / views),
            Clamp01(comments / views),
            Clamp01(likes / views),
            Clamp01(saves / views),
            likes > 0 ? Clamp01(v.Shares / likes) : 0f,
            likes > 0 ? Clamp01(comments / likes) : 0f,
            Clamp01((v.DurationSeconds ?? DefaultDurationSeconds) / 180.0),
            Clamp01(v.Hashtags.Count / 30.0),
            string.IsNullOrWhiteSpace(v.SoundName) ? 0f : 1f,
            Clamp01((v.Description?.Length ?? 0) / 2000.0),
            hasFollowers ? 1f : 0f,
            (float)FollowerTiers.Encode(hasFollowers ? v.AuthorFollowers : null),
            hasFollowers ? Clamp01(v.Views / (double)v.AuthorFollowers!.Value / 50.0) : 0f,
            posted is { } p ? Clamp01((int)p.DayOfWeek / 6.0) : 0f,
            posted is { } h ? Clamp01(h.Hour / 23.0) : 0f,
        ];
    }

    /// <summary>Saves as reported, else estimated from likes.</summary>
    public static double EffectiveSaves(ScrapedVideoRecord v) => v.Saves ?? v.Likes * EstimatedSavesPerLike;

    public static float Clamp01(double value) =>
        double.IsNaN(value) ? 0f : (float)Math.Clamp(value, 0.0, 1.0);
}

/// <summary>
/// Follower tiers encoded as the seed's ordinals. Thresholds are ours (the seed did not state them),
/// chosen after common influencer-marketing bands: nano &lt; 10k ≤ micro &lt; 100k ≤ mid &lt; 500k ≤ macro &lt; 1M ≤ mega.
/// </summary>
public static class FollowerTiers
{
    public const long MicroFrom = 10_000;
    public const long MidFrom = 100_000;
    public const long MacroFrom = 500_000;
    public const long MegaFrom = 1_000_000;

    public const double Nano = 0.1, Micro = 0.3, Mid = 0.5, Macro = 0.7, Mega = 0.9, Unknown = 0.5;

    public static double Encode(long? followers) => followers switch
    {
        null or <= 0 => Unknown,
        < MicroFrom => Nano,
        < MidFrom => Micro,
        < MacroFrom => Mid,
        < MegaFrom => Macro,
        _ => Mega,
    };
}
