using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// The one import path (CLI, page, demo seeding): rows stream into a temporary staging table by binary
/// COPY, then one INSERT … ON CONFLICT upserts them, all in one transaction, so a failure or a strict
/// rejection leaves scraped_videos exactly as it was.
/// </summary>
public sealed class VideoImporter(IDbContextFactory<ViralityDbContext> contexts, TimeProvider time, ILogger<VideoImporter> logger)
{
    private const int ProgressEvery = 10_000;

    private const string StagingColumns =
        "platform, platform_video_id, views, likes, shares, comments, saves, duration_seconds, hashtags, sound_name, "
        + "sound_original, description, created_at, author_handle, author_followers, author_verified, quality_flags";

    public async Task<ImportReport> ImportAsync(Stream file, ImportOptions options, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var (format, rows) = await ImportFormat.OpenAsync(file, now, ct);
        return await UpsertAsync(format, rows, options, ct);
    }

    public Task<ImportReport> ImportAsync(IEnumerable<ScrapedVideoRecord> videos, ImportOptions options, CancellationToken ct = default) =>
        UpsertAsync("records", AsRows(videos), options, ct);

    private static async IAsyncEnumerable<ParsedRow> AsRows(IEnumerable<ScrapedVideoRecord> videos)
    {
        long i = 0;
        foreach (var v in videos)
            yield return ParsedRow.Valid($"record {i++}", v);
        await Task.CompletedTask;
    }

    private async Task<ImportReport> UpsertAsync(string format, IAsyncEnumerable<ParsedRow> rows, ImportOptions options, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        await using (var create = new NpgsqlCommand(
            $"CREATE TEMP TABLE import_staging ON COMMIT DROP AS SELECT {StagingColumns} FROM scraped_videos WITH NO DATA", conn, tx))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        long read = 0, valid = 0, flagged = 0;
        var errors = new List<ImportError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY import_staging ({StagingColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                read++;
                if (read % ProgressEvery == 0)
                    options.Progress?.Report(read);
                var error = row.Error;
                if (row.Video is { } v && !seen.Add(v.Platform + "\n" + v.VideoId))
                    error = $"video id {v.VideoId} appears earlier in the file";
                if (error is not null)
                {
                    var rejection = new ImportError(row.Where, error);
                    if (options.Strict)
                        throw new StrictImportException(rejection); // disposing the COPY and the transaction undoes everything
                    errors.Add(rejection);
                    continue;
                }
                var video = row.Video!;
                var flags = video.Flags;
                if (flags != DataQualityFlags.None)
                    flagged++;
                valid++;
                await WriteAsync(copy, video, flags, ct);
            }
            await copy.CompleteAsync(ct);
        }
        options.Progress?.Report(read);

        long inserted = 0, updated = 0;
        if (valid > 0)
            (inserted, updated) = await MergeAsync(conn, tx, now, ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Imported {Format}: {Read} read, {Inserted} inserted, {Updated} updated, {Rejected} rejected, {Flagged} flagged",
            format, read, inserted, updated, errors.Count, flagged);
        return new ImportReport(format, read, inserted, updated, errors.Count, flagged, errors);
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, ScrapedVideoRecord v, DataQualityFlags flags, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(v.Platform, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(v.VideoId, NpgsqlDbType.Varchar, ct);
        await copy.WriteAsync(v.Views, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(v.Likes, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(v.Shares, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(v.Comments, NpgsqlDbType.Bigint, ct);
        await WriteNullableAsync(copy, v.Saves, NpgsqlDbType.Bigint, ct);
        await WriteNullableAsync(copy, v.DurationSeconds, NpgsqlDbType.Double, ct);
        await copy.WriteAsync(v.Hashtags as string[] ?? v.Hashtags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, v.SoundName, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, v.SoundOriginal, NpgsqlDbType.Boolean, ct);
        await WriteNullableAsync(copy, v.Description, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, v.CreatedAt, NpgsqlDbType.TimestampTz, ct);
        await WriteNullableAsync(copy, v.AuthorHandle, NpgsqlDbType.Text, ct);
        await WriteNullableAsync(copy, v.AuthorFollowers, NpgsqlDbType.Bigint, ct);
        await WriteNullableAsync(copy, v.AuthorVerified, NpgsqlDbType.Boolean, ct);
        await copy.WriteAsync((int)flags, NpgsqlDbType.Integer, ct);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is T v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    /// <summary>
    /// Counts are replaced by the newer scrape; descriptive fields the new source lacks (saves from
    /// tiktok-scraper, say) keep what an earlier import stored.
    /// </summary>
    private static async Task<(long Inserted, long Updated)> MergeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = $"""
            WITH merged AS (
                INSERT INTO scraped_videos ({StagingColumns}, first_seen_at, last_scraped_at)
                SELECT {StagingColumns}, @now, @now FROM import_staging
                ON CONFLICT (platform, platform_video_id) DO UPDATE SET
                    views = EXCLUDED.views, likes = EXCLUDED.likes, shares = EXCLUDED.shares, comments = EXCLUDED.comments,
                    saves = COALESCE(EXCLUDED.saves, scraped_videos.saves),
                    duration_seconds = COALESCE(EXCLUDED.duration_seconds, scraped_videos.duration_seconds),
                    hashtags = CASE WHEN cardinality(EXCLUDED.hashtags) > 0 THEN EXCLUDED.hashtags ELSE scraped_videos.hashtags END,
                    sound_name = COALESCE(EXCLUDED.sound_name, scraped_videos.sound_name),
                    sound_original = COALESCE(EXCLUDED.sound_original, scraped_videos.sound_original),
                    description = COALESCE(EXCLUDED.description, scraped_videos.description),
                    created_at = COALESCE(EXCLUDED.created_at, scraped_videos.created_at),
                    author_handle = COALESCE(EXCLUDED.author_handle, scraped_videos.author_handle),
                    author_followers = COALESCE(EXCLUDED.author_followers, scraped_videos.author_followers),
                    author_verified = COALESCE(EXCLUDED.author_verified, scraped_videos.author_verified),
                    quality_flags = EXCLUDED.quality_flags,
                    last_scraped_at = EXCLUDED.last_scraped_at
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged
            """;
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("now", now);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
