using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Engagement;

/// <summary>Raw fields a feature is computed from; used to detect label leakage.</summary>
[Flags]
public enum FeatureSource
{
    None = 0,
    Views = 1,
    Likes = 2,
    Comments = 4,
    Shares = 8,
    Saves = 16,
    Followers = 32,
    /// <summary>Caption, hashtags, sound, duration: fixed when the video is made.</summary>
    Metadata = 64,
    /// <summary>Posting date and hour.</summary>
    PostedTime = 128,
    /// <summary>How old the video was when its counts were observed.</summary>
    ObservationTime = 256,
}

/// <summary>One model input: its name, what it is computed from, and whether it is known before posting.</summary>
public sealed record FeatureDefinition(string Name, FeatureSource Sources, bool KnownBeforePosting, string Description);

/// <summary>
/// An ordered, named list of features; the order is the order of the model's input vector.
/// Cross-project contract: the name is stored with each model version.
/// </summary>
[JsonConverter(typeof(FeatureSetNameConverter))]
public sealed record FeatureSet(string Name, IReadOnlyList<FeatureDefinition> Features)
{
    public const string Seed15Name = "seed15";
    public const string PrePostingName = "pre-posting";
    public const string Seed15NoLeakName = "seed15-noleak";
    public const string EarlyName = "early";

    public int Count => Features.Count;

    public IReadOnlyList<string> FeatureNames => Features.Select(f => f.Name).ToArray();

    /// <summary>The seeds' 15 features, in the order of seed 004 step 7.</summary>
    public static FeatureSet Seed15 { get; } = new(Seed15Name, SeedFeatures.All);

    /// <summary>Only what is known before a video is posted, for predicting an unposted video.</summary>
    public static FeatureSet PrePosting { get; } = new(PrePostingName, SeedFeatures.All.Where(f => f.KnownBeforePosting).ToArray());

    /// <summary>
    /// Seed15 without <c>viewsPerFollower</c>, which with view tiers carries the label (views / followers, and the
    /// follower tier is an input): the after-posting rates, without the leak the leakage check flags.
    /// </summary>
    public static FeatureSet Seed15NoLeak { get; } = new(Seed15NoLeakName, SeedFeatures.All.Where(f => f.Name != SeedFeatures.ViewsPerFollower).ToArray());

    /// <summary>
    /// What is known when a young video is observed: its views and age then, its engagement rates then, and what was
    /// known before posting. Meant for point-in-time training, whose labels come from the video's later, matured counts.
    /// </summary>
    public static FeatureSet Early { get; } = new(EarlyName, EarlyFeatures.All);

    public static IReadOnlyList<FeatureSet> BuiltIn { get; } = [Seed15, PrePosting, Seed15NoLeak, Early];

    /// <summary>Whether a model of this set reads the observation age (the Predictor asks for it).</summary>
    public bool UsesAge => IndexOf(EarlyFeatures.LogAgeHours) >= 0;

    public static FeatureSet FromName(string name) =>
        BuiltIn.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown feature set '{name}'. Known: {string.Join(", ", BuiltIn.Select(s => s.Name))}.", nameof(name));

    public int IndexOf(string featureName)
    {
        for (var i = 0; i < Features.Count; i++)
            if (Features[i].Name == featureName)
                return i;
        return -1;
    }
}

/// <summary>Names and definitions of the seeds' 15 features.</summary>
public static class SeedFeatures
{
    public const string ShareRate = "shareRate";
    public const string CommentRate = "commentRate";
    public const string LikeRate = "likeRate";
    public const string SaveRate = "saveRate";
    public const string ShareToLikeRatio = "shareToLikeRatio";
    public const string CommentToLikeRatio = "commentToLikeRatio";
    public const string DurationSeconds = "durationSeconds";
    public const string HashtagCount = "hashtagCount";
    public const string HasTrendingSound = "hasTrendingSound";
    public const string CaptionLength = "captionLength";
    public const string HasFollowerData = "hasFollowerData";
    public const string FollowerTier = "followerTier";
    public const string ViewsPerFollower = "viewsPerFollower";
    public const string WeekdayPosted = "weekdayPosted";
    public const string HourPosted = "hourPosted";

    // Every feature that divides by views counts as computed from views: with view tiers such a
    // feature carries the label into the input (viewsPerFollower × followers reconstructs views).
    public static IReadOnlyList<FeatureDefinition> All { get; } =
    [
        new(ShareRate, FeatureSource.Shares | FeatureSource.Views, false, "shares / views"),
        new(CommentRate, FeatureSource.Comments | FeatureSource.Views, false, "comments / views"),
        new(LikeRate, FeatureSource.Likes | FeatureSource.Views, false, "likes / views"),
        new(SaveRate, FeatureSource.Saves | FeatureSource.Likes | FeatureSource.Views, false, "saves / views (saves = likes × 0.15 when unknown)"),
        new(ShareToLikeRatio, FeatureSource.Shares | FeatureSource.Likes, false, "shares / likes (0 without likes)"),
        new(CommentToLikeRatio, FeatureSource.Comments | FeatureSource.Likes, false, "comments / likes (0 without likes)"),
        new(DurationSeconds, FeatureSource.Metadata, true, "duration / 180 s (30 s when unknown)"),
        new(HashtagCount, FeatureSource.Metadata, true, "hashtags / 30"),
        new(HasTrendingSound, FeatureSource.Metadata, true, "1 when the video names a sound"),
        new(CaptionLength, FeatureSource.Metadata, true, "caption characters / 2000"),
        new(HasFollowerData, FeatureSource.Followers, true, "1 when the author's follower count is known (> 0)"),
        new(FollowerTier, FeatureSource.Followers, true, "nano 0.1, micro 0.3, mid 0.5, macro 0.7, mega 0.9, unknown 0.5"),
        new(ViewsPerFollower, FeatureSource.Views | FeatureSource.Followers, false, "views / followers / 50"),
        new(WeekdayPosted, FeatureSource.PostedTime, true, "UTC weekday (Sunday 0) / 6"),
        new(HourPosted, FeatureSource.PostedTime, true, "UTC hour / 23"),
    ];
}

/// <summary>The <c>early</c> set's own features; the rest of it are seed features, computed as in seed15.</summary>
public static class EarlyFeatures
{
    public const string LogViews = "logViews";
    public const string LogAgeHours = "logAgeHours";
    public const string AgeFromFirstSeen = "ageFromFirstSeen";

    /// <summary>10 billion views (log10 = 10) map to 1.</summary>
    public const double LogViewsScale = 10;

    /// <summary>10,000 hours (about 14 months; log10 = 4) map to 1.</summary>
    public const double LogAgeScale = 4;

    private static readonly string[] SeedOnes =
    [
        SeedFeatures.LikeRate, SeedFeatures.CommentRate, SeedFeatures.ShareRate, SeedFeatures.SaveRate,
        SeedFeatures.ShareToLikeRatio, SeedFeatures.CommentToLikeRatio,
        SeedFeatures.DurationSeconds, SeedFeatures.HashtagCount, SeedFeatures.HasTrendingSound, SeedFeatures.CaptionLength,
        SeedFeatures.HasFollowerData, SeedFeatures.FollowerTier, SeedFeatures.WeekdayPosted, SeedFeatures.HourPosted,
        SeedFeatures.ViewsPerFollower,
    ];

    public static IReadOnlyList<FeatureDefinition> All { get; } =
    [
        new(LogViews, FeatureSource.Views, false, "log10(1 + views at observation) / 10"),
        new(LogAgeHours, FeatureSource.ObservationTime, false, "log10(1 + hours since posting at observation) / 4; since first seen when the posting time is unknown"),
        new(AgeFromFirstSeen, FeatureSource.ObservationTime, false, "1 when the age counts from first seen (posting time unknown)"),
        .. SeedOnes.Select(name => SeedFeatures.All.Single(f => f.Name == name)),
    ];
}
