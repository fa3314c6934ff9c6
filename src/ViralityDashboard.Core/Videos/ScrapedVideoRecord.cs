namespace ViralityDashboard.Core.Videos;

/// <summary>
/// One scraped video as an importer or the demo generator produces it, before it is stored.
/// Counts are cumulative at scrape time; a null means the source lacks the value.
/// </summary>
public sealed record ScrapedVideoRecord
{
    public string Platform { get; init; } = Platforms.TikTok;
    public required string VideoId { get; init; }
    public long Views { get; init; }
    public long Likes { get; init; }
    public long Shares { get; init; }
    /// <summary>Null when comments are turned off on the video: TikTok then reports no count at all.</summary>
    public long? Comments { get; init; } = 0;
    public long? Saves { get; init; }
    public double? DurationSeconds { get; init; }
    public IReadOnlyList<string> Hashtags { get; init; } = [];
    public string? SoundName { get; init; }
    public bool? SoundOriginal { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? AuthorHandle { get; init; }
    public long? AuthorFollowers { get; init; }
    public bool? AuthorVerified { get; init; }
    /// <summary>The video's page on the platform (Apify's and tiktok-scraper's <c>webVideoUrl</c>), for the Rate page's link.</summary>
    public string? VideoUrl { get; init; }
    /// <summary>
    /// The video's cover image (Apify's <c>videoMeta.coverUrl</c>, tiktok-scraper's <c>covers.default</c>, web items'
    /// <c>video.cover</c>): the Rate page shows it where TikTok's player cannot load.
    /// </summary>
    public string? CoverUrl { get; init; }

    /// <summary>
    /// When these counts were scraped: a history's row says so (<c>scraped_at</c>); null means "now" to an import. The
    /// features of the <c>early</c> set measure the video's age at this moment.
    /// </summary>
    public DateTimeOffset? ScrapedAt { get; init; }

    /// <summary>When the video was first scraped: the origin of its age when its posting time is unknown.</summary>
    public DateTimeOffset? FirstSeenAt { get; init; }

    /// <summary>
    /// Hours from posting (else from first seen) to <see cref="ScrapedAt"/>, never negative; null when either end is unknown.
    /// </summary>
    public double? AgeHours => ScrapedAt is { } at && (CreatedAt ?? FirstSeenAt) is { } origin
        ? Math.Max(0, (at - origin).TotalHours)
        : null;

    /// <summary>Plausible scrape glitches found in the row; stored, but kept out of training.</summary>
    public DataQualityFlags Flags => DataQuality.Inspect(this);
}

public static class Platforms
{
    public const string TikTok = "tiktok";
}
