using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

/// <summary>How many trainable videos have a history a point-in-time row can be cut from, and why the others have not.</summary>
/// <param name="Usable">A snapshot taken at maturity and an earlier one.</param>
/// <param name="NotMatured">No snapshot yet at maturity (including videos with no snapshot at all).</param>
/// <param name="NoEarlierSnapshot">Matured, but a single snapshot: features and outcome would be the same counts.</param>
public sealed record HistoryCounts(int Usable, int NotMatured, int NoEarlierSnapshot);

/// <summary>What a training run reads: trainable videos (views &gt; 0, no quality flag), newest first.</summary>
public sealed class TrainingDataQueries(NpgsqlDataSource data)
{
    // Mature: the latest snapshot is at least the maturity age after posting (after the first snapshot when the posting
    // time is unknown), as PointInTimeRows.MaturedIndex decides. Grouped per video over its snapshots.
    private const string HistoryFacts = """
        SELECT v.id, count(s.video_id) AS scrapes,
               coalesce(max(s.scraped_at) >= coalesce(v.created_at, min(s.scraped_at)) + make_interval(days => @days), false) AS matured
        FROM scraped_videos v LEFT JOIN video_snapshots s ON s.video_id = v.id
        WHERE v.views > 0 AND v.quality_flags = 0
        GROUP BY v.id
        """;

    private const string MaturedHistoriesSql = $"""
        WITH usable AS (SELECT id FROM ({HistoryFacts}) f WHERE scrapes >= 2 AND matured)
        SELECT v.platform, v.platform_video_id, v.views, v.likes, v.shares, v.comments, v.saves, v.duration_seconds, v.hashtags,
               v.sound_name, v.sound_original, v.description, v.created_at, v.author_handle, v.author_followers, v.author_verified,
               h.at, h.views, h.likes, h.shares, h.comments, h.saves
        FROM scraped_videos v
        JOIN usable u ON u.id = v.id
        CROSS JOIN LATERAL (
            SELECT array_agg(s.scraped_at ORDER BY s.scraped_at) AS at, array_agg(s.views ORDER BY s.scraped_at) AS views,
                   array_agg(s.likes ORDER BY s.scraped_at) AS likes, array_agg(s.shares ORDER BY s.scraped_at) AS shares,
                   array_agg(s.comments ORDER BY s.scraped_at) AS comments, array_agg(s.saves ORDER BY s.scraped_at) AS saves
            FROM video_snapshots s WHERE s.video_id = v.id) h
        ORDER BY v.created_at DESC NULLS LAST, v.id DESC
        LIMIT @limit
        """;

    public async Task<HistoryCounts> CountHistoriesAsync(int matureAfterDays, CancellationToken ct = default)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await BackgroundReads.BeginAsync(conn, ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT count(*) FILTER (WHERE scrapes >= 2 AND matured)::int, count(*) FILTER (WHERE NOT matured)::int,
                   count(*) FILTER (WHERE scrapes < 2 AND matured)::int
            FROM ({HistoryFacts}) f
            """, conn, tx);
        cmd.Parameters.AddWithValue("days", matureAfterDays);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new HistoryCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2));
    }

    /// <summary>
    /// The newest <paramref name="max"/> trainable videos with a matured snapshot and an earlier one, each with its
    /// scrapes oldest first. Synchronous, for a training thread (see <see cref="ReadNewestTrainable{T}"/>).
    /// </summary>
    public List<VideoHistory> ReadMaturedHistories(int max, int matureAfterDays, CancellationToken ct = default)
    {
        using var conn = data.OpenConnection();
        using var tx = BackgroundReads.Begin(conn);
        using var cmd = new NpgsqlCommand(MaturedHistoriesSql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("limit", max);
        cmd.Parameters.AddWithValue("days", matureAfterDays);
        using var cancel = ct.Register(cmd.Cancel);
        using var reader = cmd.ExecuteReader();
        var histories = new List<VideoHistory>();
        while (reader.Read())
        {
            var at = reader.GetFieldValue<DateTimeOffset[]>(16);
            var views = reader.GetFieldValue<long[]>(17);
            var likes = reader.GetFieldValue<long[]>(18);
            var shares = reader.GetFieldValue<long[]>(19);
            var comments = reader.GetFieldValue<long?[]>(20);
            var saves = reader.GetFieldValue<long?[]>(21);
            var scrapes = new ScrapeCounts[at.Length];
            for (var i = 0; i < at.Length; i++)
                scrapes[i] = new ScrapeCounts(at[i], views[i], likes[i], shares[i], comments[i], saves[i]);
            histories.Add(new VideoHistory(Read(reader), scrapes));
        }
        return histories;
    }

    // The same "newest" as CalibrationQueries, so a run's labels and its percentiles cover the same rows.
    // Read with a plain data reader: EF's materializer cost about 10 µs a row here (140–200 ms of a 10,000-row
    // run, against 30 ms of query), and a million rows are read for the largest runs.
    private const string NewestTrainableSql = """
        SELECT platform, platform_video_id, views, likes, shares, comments, saves, duration_seconds, hashtags,
               sound_name, sound_original, description, created_at, author_handle, author_followers, author_verified
        FROM scraped_videos
        WHERE views > 0 AND quality_flags = 0
        ORDER BY created_at DESC NULLS LAST, id DESC
        LIMIT @limit
        """;

    public async Task<int> CountTrainableAsync(CancellationToken ct = default)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await BackgroundReads.BeginAsync(conn, ct);
        await using var cmd = new NpgsqlCommand("SELECT count(*)::int FROM scraped_videos WHERE views > 0 AND quality_flags = 0", conn, tx);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The newest <paramref name="max"/> trainable videos, in the order CalibrationQueries uses for "newest",
    /// each passed through <paramref name="map"/> as it arrives: a run keeps its 15 floats per video, not the
    /// video (captions and hashtags of a million rows are most of a gigabyte).
    /// </summary>
    /// <remarks>
    /// Synchronous on purpose, for a training thread to call: reading and mapping a million rows is seconds of CPU, and
    /// an async read continues on the thread pool after each network wait, where it took the threads that serve requests.
    /// </remarks>
    /// <param name="expected">The rows the caller expects (the trainable count it has): the list is allocated once at that
    /// size instead of doubling through four large-object-heap copies on the way to a million.</param>
    public List<T> ReadNewestTrainable<T>(int max, Func<ScrapedVideoRecord, T> map, int? expected = null, CancellationToken ct = default)
    {
        using var conn = data.OpenConnection();
        using var tx = BackgroundReads.Begin(conn);
        using var cmd = new NpgsqlCommand(NewestTrainableSql, conn, tx);
        cmd.Parameters.AddWithValue("limit", max);
        using var cancel = ct.Register(cmd.Cancel);
        using var reader = cmd.ExecuteReader();
        var videos = new List<T>(Math.Min(max, expected ?? 100_000));
        while (reader.Read())
        {
            if (videos.Count % 10_000 == 0)
                ct.ThrowIfCancellationRequested();
            videos.Add(map(Read(reader)));
        }
        return videos;
    }

    /// <summary>A video's stored columns, from offset 0 (the first 16 columns of both reads).</summary>
    private static ScrapedVideoRecord Read(NpgsqlDataReader reader) => new()
    {
        Platform = reader.GetString(0),
        VideoId = reader.GetString(1),
        Views = reader.GetInt64(2),
        Likes = reader.GetInt64(3),
        Shares = reader.GetInt64(4),
        Comments = reader.IsDBNull(5) ? null : reader.GetInt64(5),
        Saves = reader.IsDBNull(6) ? null : reader.GetInt64(6),
        DurationSeconds = reader.IsDBNull(7) ? null : reader.GetDouble(7),
        Hashtags = reader.GetFieldValue<string[]>(8),
        SoundName = reader.IsDBNull(9) ? null : reader.GetString(9),
        SoundOriginal = reader.IsDBNull(10) ? null : reader.GetBoolean(10),
        Description = reader.IsDBNull(11) ? null : reader.GetString(11),
        CreatedAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
        AuthorHandle = reader.IsDBNull(13) ? null : reader.GetString(13),
        AuthorFollowers = reader.IsDBNull(14) ? null : reader.GetInt64(14),
        AuthorVerified = reader.IsDBNull(15) ? null : reader.GetBoolean(15),
    };
}
