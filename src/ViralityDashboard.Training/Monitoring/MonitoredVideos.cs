using System.Text.Json;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>A video as the scoring job first saw it: its metadata with its first snapshot's counts, and when that was.</summary>
internal sealed record FirstSeenVideo(long Id, ScrapedVideoRecord Record, DateTimeOffset ObservedAt);

/// <summary>Counts to judge an outcome by: the video's latest snapshot (its current counts when it has none).</summary>
internal readonly record struct OutcomeCounts(long Views, long Likes, long Shares, long? Comments, long? Saves);

/// <summary>
/// What the scoring job and the backtest share, so a backtest scores exactly what scoring would have: the SQL that
/// reads a video as first seen, the maturity rule, and the outcome tier by a version's own thresholds.
/// </summary>
internal static class MonitoredVideos
{
    /// <summary>Videos scored and judged: the unflagged ones, the population the model is trained on.</summary>
    public const string Scorable = "v.quality_flags = 0";

    public const string FirstSnapshotJoin =
        "LEFT JOIN LATERAL (SELECT * FROM video_snapshots s WHERE s.video_id = v.id ORDER BY s.scraped_at LIMIT 1) f ON true";

    public const string LatestSnapshotJoin =
        "LEFT JOIN LATERAL (SELECT * FROM video_snapshots s WHERE s.video_id = v.id ORDER BY s.scraped_at DESC LIMIT 1) l ON true";

    /// <summary>When the inputs were first observed: the first snapshot, else when the video was first imported.</summary>
    public const string ObservedAt = "coalesce(f.scraped_at, v.first_seen_at)";

    /// <summary>When its days to maturity count from: posting, else (unknown posting time) its first snapshot.</summary>
    public const string PostedAt = "coalesce(v.created_at, f.scraped_at, v.first_seen_at)";

    /// <summary>Columns <see cref="ReadFirstSeen"/> reads, from offset 0; needs <see cref="FirstSnapshotJoin"/>.</summary>
    public const string FirstSeenColumns = """
        v.id, v.platform_video_id, v.duration_seconds, v.hashtags, v.sound_name, v.sound_original, v.description, v.created_at,
        v.author_followers, v.author_verified,
        coalesce(f.views, v.views), coalesce(f.likes, v.likes), coalesce(f.shares, v.shares),
        CASE WHEN f.video_id IS NULL THEN v.comments ELSE f.comments END,
        CASE WHEN f.video_id IS NULL THEN v.saves ELSE f.saves END,
        coalesce(f.scraped_at, v.first_seen_at)
        """;

    public const int FirstSeenColumnCount = 16;

    /// <summary>Latest counts (5 columns); needs <see cref="LatestSnapshotJoin"/>.</summary>
    public const string LatestColumns = """
        coalesce(l.views, v.views), coalesce(l.likes, v.likes), coalesce(l.shares, v.shares),
        CASE WHEN l.video_id IS NULL THEN v.comments ELSE l.comments END,
        CASE WHEN l.video_id IS NULL THEN v.saves ELSE l.saves END
        """;

    public static FirstSeenVideo ReadFirstSeen(NpgsqlDataReader r)
    {
        var observedAt = r.GetFieldValue<DateTimeOffset>(15);
        var record = new ScrapedVideoRecord
        {
            // Observed at its first sight: a model that reads the age (the early set) sees the age the video had then.
            ScrapedAt = observedAt,
            FirstSeenAt = observedAt,
            VideoId = r.GetString(1),
            DurationSeconds = r.IsDBNull(2) ? null : r.GetDouble(2),
            Hashtags = r.IsDBNull(3) ? [] : r.GetFieldValue<string[]>(3),
            SoundName = r.IsDBNull(4) ? null : r.GetString(4),
            SoundOriginal = r.IsDBNull(5) ? null : r.GetBoolean(5),
            Description = r.IsDBNull(6) ? null : r.GetString(6),
            CreatedAt = r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
            AuthorFollowers = r.IsDBNull(8) ? null : r.GetInt64(8),
            AuthorVerified = r.IsDBNull(9) ? null : r.GetBoolean(9),
            Views = r.GetInt64(10),
            Likes = r.GetInt64(11),
            Shares = r.GetInt64(12),
            Comments = r.IsDBNull(13) ? null : r.GetInt64(13),
            Saves = r.IsDBNull(14) ? null : r.GetInt64(14),
        };
        return new FirstSeenVideo(r.GetInt64(0), record, observedAt);
    }

    public static OutcomeCounts ReadCounts(NpgsqlDataReader r, int offset) => new(
        r.GetInt64(offset), r.GetInt64(offset + 1), r.GetInt64(offset + 2),
        r.IsDBNull(offset + 3) ? null : r.GetInt64(offset + 3), r.IsDBNull(offset + 4) ? null : r.GetInt64(offset + 4));

    /// <summary>A stored version's thresholds (<c>model_versions.thresholds</c>); null when it has none (trained on the bundled fallback set).</summary>
    public static TierThresholds? ParseThresholds(string json)
    {
        var thresholds = JsonSerializer.Deserialize<TierThresholds>(json, TrainingJson.Options);
        return thresholds?.Values is { Length: > 0 } ? thresholds : null;
    }

    /// <summary>
    /// The video's true tier by these thresholds, from counts: views, or WES with the configured weights. Null when the
    /// measure cannot be computed (WES of a video whose comments are turned off).
    /// </summary>
    public static int? OutcomeTier(TierThresholds thresholds, OutcomeCounts c, WesWeights weights) => thresholds.Measure switch
    {
        TierMeasure.Views => thresholds.Assign(c.Views),
        TierMeasure.Wes when c.Comments is { } comments =>
            thresholds.Assign(WeightedEngagementScore.Compute(c.Views, c.Likes, comments, c.Shares, c.Saves ?? c.Likes * FeatureExtractor.EstimatedSavesPerLike, weights)),
        _ => null,
    };

    /// <summary>Monday (UTC) of the week of <paramref name="at"/>, as realized_metrics keys weeks.</summary>
    public static DateOnly WeekOf(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }
}
