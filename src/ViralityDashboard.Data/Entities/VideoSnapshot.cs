namespace ViralityDashboard.Data.Entities;

/// <summary>A video's counts as one import saw them; appended only when they changed (or the video was new).</summary>
public sealed class VideoSnapshot
{
    public long VideoId { get; set; }
    public DateTimeOffset ScrapedAt { get; set; }
    public long Views { get; set; }
    public long Likes { get; set; }
    public long Shares { get; set; }
    /// <summary>Null when comments are turned off on the video.</summary>
    public long? Comments { get; set; }
    public long? Saves { get; set; }
}
