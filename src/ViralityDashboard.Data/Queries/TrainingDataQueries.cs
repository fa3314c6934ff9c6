using Npgsql;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

/// <summary>What a training run reads: trainable videos (views &gt; 0, no quality flag), newest first.</summary>
public sealed class TrainingDataQueries(NpgsqlDataSource data)
{
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
            videos.Add(map(new ScrapedVideoRecord
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
            }));
        }
        return videos;
    }
}
