using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Components.Pages.Predict;

/// <summary>
/// The predictor form's fields and their checks. Negative counts are errors; implausible but possible
/// values (more likes than views) are warnings that do not block a prediction.
/// </summary>
/// <param name="clock">"Now", for the age of a video posted at <see cref="PostedAt"/>.</param>
public sealed class PredictorInput(TimeProvider clock)
{
    // Set once the age stops following the posting time: typed by hand, or a loaded snapshot's own age.
    private bool _hoursPinned;

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
    public DateTime? PostedAt { get; private set; } = new DateTime(2026, 11, 20, 18, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// How old the video is (the early feature set reads it): from the posting time to now until typed, or a loaded
    /// video's snapshot age. Not asked before posting, where it is 0.
    /// </summary>
    public double? HoursSincePosting { get; private set; }

    /// <summary>Fills the age from the posting time (the form's first render).</summary>
    public PredictorInput Prefilled()
    {
        HoursSincePosting = ObservationAge.HoursSince(Posted, clock.GetUtcNow());
        return this;
    }

    /// <summary>A new posting time; the age follows it unless typed or loaded.</summary>
    public void SetPostedAt(DateTime? at)
    {
        PostedAt = at;
        if (!_hoursPinned)
            Prefilled();
    }

    public void SetHoursSincePosting(double? hours)
    {
        HoursSincePosting = hours;
        _hoursPinned = true;
    }

    public string? HoursProblem() => HoursSincePosting is { } h ? ObservationAge.Problem(h) : null;

    private DateTimeOffset? Posted => PostedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
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
            if (HoursSincePosting is null)
                yield return "Hours since posting are required (or switch to pre-posting).";
            else if (HoursProblem() is { } problem)
                yield return $"Hours since posting {problem}.";
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

    /// <summary>The video as the model sees it, observed <see cref="HoursSincePosting"/> after posting (0 before posting).</summary>
    public ScrapedVideoRecord ToRecord() => ObservationAge.At(Record(), PrePosting ? 0 : HoursSincePosting ?? 0, clock.GetUtcNow());

    private ScrapedVideoRecord Record() => new()
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
        CreatedAt = Posted,
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
        // The loaded counts are as old as their scrape; without a scrape time, as old as the video is now.
        _hoursPinned = v.AgeHours is not null;
        HoursSincePosting = v.AgeHours is { } age ? Math.Round(age, 1) : ObservationAge.HoursSince(v.CreatedAt, clock.GetUtcNow());
    }
}
