using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Components.Pages.Predict;

/// <summary>
/// The predictor form's fields and their checks. Negative counts are errors; implausible but possible
/// values (more likes than views) are warnings that do not block a prediction.
/// </summary>
public sealed class PredictorInput
{
    public long? Views { get; set; } = 25_000;
    public long? Likes { get; set; } = 2_100;
    public long? Shares { get; set; } = 85;
    public long? Comments { get; set; } = 40;
    public long? Saves { get; set; } = 160;
    public double? DurationSeconds { get; set; } = 24;
    public string? Hashtags { get; set; } = "fyp food recipe";
    public string? Sound { get; set; } = "original sound";
    public bool SoundOriginal { get; set; } = true;
    public string? Caption { get; set; } = "3-minute garlic noodles you can make tonight";
    public long? Followers { get; set; } = 12_000;
    public DateTime? PostedAt { get; set; } = new DateTime(2026, 11, 20, 18, 0, 0, DateTimeKind.Utc);
    /// <summary>Before posting: no views or engagement exist yet, so those fields are hidden and sent as zero.</summary>
    public bool PrePosting { get; set; }

    public static string? NotNegative(long? value) => value < 0 ? "Must not be negative." : null;

    public static string? NotNegative(double? value) => value < 0 ? "Must not be negative." : null;

    public IEnumerable<string> Errors()
    {
        if (!PrePosting)
        {
            foreach (var (name, value) in Counts())
                if (value < 0)
                    yield return $"{name} must not be negative.";
            if (Views is null)
                yield return "Views are required (or switch to pre-posting).";
            if (Comments is null) // a video with comments turned off: a comment rate of 0 would be a guess
                yield return "Comments are required (or switch to pre-posting).";
        }
        if (DurationSeconds < 0)
            yield return "Duration must not be negative.";
        if (Followers < 0)
            yield return "Followers must not be negative.";
    }

    public IEnumerable<string> Warnings()
    {
        if (PrePosting || Views is not { } views)
            yield break;
        if (Likes > views)
            yield return $"More likes ({Likes:N0}) than views ({views:N0}): possible, but usually a scraping glitch.";
        if (Views == 0 && (Likes > 0 || Comments > 0 || Shares > 0))
            yield return "Zero views with engagement: the view counter was probably not captured.";
    }

    private IEnumerable<(string, long?)> Counts() => [("Views", Views), ("Likes", Likes), ("Shares", Shares), ("Comments", Comments), ("Saves", Saves)];

    public ScrapedVideoRecord ToRecord() => new()
    {
        VideoId = "predictor",
        Views = PrePosting ? 0 : Views ?? 0,
        Likes = PrePosting ? 0 : Likes ?? 0,
        Shares = PrePosting ? 0 : Shares ?? 0,
        Comments = PrePosting ? 0 : Comments ?? 0,
        Saves = PrePosting ? 0 : Saves,
        DurationSeconds = DurationSeconds,
        Hashtags = (Hashtags ?? "").Split([' ', ',', '#'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct().ToList(),
        SoundName = string.IsNullOrWhiteSpace(Sound) ? null : Sound.Trim(),
        SoundOriginal = SoundOriginal,
        Description = Caption,
        AuthorFollowers = Followers,
        CreatedAt = PostedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
    };

    public void FillFrom(ScrapedVideoRecord v)
    {
        Views = v.Views;
        Likes = v.Likes;
        Shares = v.Shares;
        Comments = v.Comments;
        Saves = v.Saves;
        DurationSeconds = v.DurationSeconds;
        Hashtags = string.Join(' ', v.Hashtags);
        Sound = v.SoundName;
        SoundOriginal = v.SoundOriginal ?? false;
        Caption = v.Description;
        Followers = v.AuthorFollowers;
        PostedAt = v.CreatedAt?.UtcDateTime;
    }
}
