namespace ViralityDashboard.Core.Videos;

/// <summary>Glitches that real scrapes contain; such rows are stored with a flag and excluded from training.</summary>
[Flags]
public enum DataQualityFlags
{
    None = 0,
    /// <summary>Zero views but likes, comments or shares: the view counter was not captured.</summary>
    ZeroViewsWithEngagement = 1,
    /// <summary>A duration of zero seconds (photo posts report 0).</summary>
    ZeroDuration = 2,
    /// <summary>More likes than views: the counters come from different moments.</summary>
    LikesExceedViews = 4,
    /// <summary>No comment count: comments are turned off on the video. WES and the comment rates need it.</summary>
    CommentsUnknown = 8,
}

public static class DataQuality
{
    public static DataQualityFlags Inspect(ScrapedVideoRecord v)
    {
        var flags = DataQualityFlags.None;
        if (v.Views == 0 && (v.Likes > 0 || v.Comments > 0 || v.Shares > 0))
            flags |= DataQualityFlags.ZeroViewsWithEngagement;
        if (v.DurationSeconds is 0)
            flags |= DataQualityFlags.ZeroDuration;
        if (v.Views > 0 && v.Likes > v.Views)
            flags |= DataQualityFlags.LikesExceedViews;
        if (v.Comments is null)
            flags |= DataQualityFlags.CommentsUnknown;
        return flags;
    }

    /// <summary>Whether a stored row may be used to train the engagement model.</summary>
    public static bool IsTrainable(long views, DataQualityFlags flags) => views > 0 && flags == DataQualityFlags.None;
}
