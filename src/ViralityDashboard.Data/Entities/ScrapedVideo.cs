using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Entities;

public sealed class ScrapedVideo
{
    public long Id { get; set; }
    public string Platform { get; set; } = Platforms.TikTok;
    public string PlatformVideoId { get; set; } = "";
    public long Views { get; set; }
    public long Likes { get; set; }
    public long Shares { get; set; }
    /// <summary>Null when comments are turned off on the video (flagged <c>CommentsUnknown</c>).</summary>
    public long? Comments { get; set; }
    public long? Saves { get; set; }
    public double? DurationSeconds { get; set; }
    public string[] Hashtags { get; set; } = [];
    public string? SoundName { get; set; }
    public bool? SoundOriginal { get; set; }
    public string? Description { get; set; }
    /// <summary>When the video was posted.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
    public string? AuthorHandle { get; set; }
    public long? AuthorFollowers { get; set; }
    public bool? AuthorVerified { get; set; }
    /// <summary>The video's page on the platform (an absolute http(s) URL), when the import source gave one.</summary>
    public string? VideoUrl { get; set; }
    /// <summary>The video's cover image (an absolute http(s) URL), when the import source gave one.</summary>
    public string? CoverUrl { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastScrapedAt { get; set; }
    public DataQualityFlags QualityFlags { get; set; }

    public List<AnalyzedVideo> Analyses { get; set; } = [];
    public List<VideoRating> Ratings { get; set; } = [];
}
