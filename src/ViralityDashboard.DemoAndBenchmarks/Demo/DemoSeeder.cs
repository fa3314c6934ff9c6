using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

public sealed record SeedReport(ImportReport Videos, int AnalysesAdded, int RatingsAdded)
{
    /// <summary>video_snapshots rows the generated scrape history added (0 when seeding again).</summary>
    public long SnapshotsAdded { get; init; }
}

/// <summary>Stores generated demo data; running it twice with the same seed changes nothing the second time.</summary>
public sealed class DemoSeeder(IDbContextFactory<ViralityDbContext> contexts, VideoImporter importer)
{
    /// <summary>Generates demo data and stores it: used by seed-demo and by the first start on an empty embedded database.</summary>
    public async Task<SeedReport> SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        var set = DemoDataGenerator.Generate(options);
        var report = await StoreAsync(set.Videos, set.AnalyzedVideos, set.Ratings, ct: ct);
        return report with { SnapshotsAdded = await StoreSnapshotsAsync(DemoDataGenerator.GenerateSnapshots(options), ct) };
    }

    /// <summary>
    /// Gives stored demo videos their generated scrape history, in one transaction: snapshots of theirs that are not in
    /// it (a later re-run's young videos were scraped at other times) are replaced by it, and first_seen_at /
    /// last_scraped_at become its first and last scrape. Storing the same history again changes nothing.
    /// </summary>
    public async Task<long> StoreSnapshotsAsync(IEnumerable<DemoSnapshot> snapshots, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ExecuteAsync("""
            CREATE TEMP TABLE demo_snapshots (platform_video_id text NOT NULL, scraped_at timestamptz NOT NULL,
                views bigint NOT NULL, likes bigint NOT NULL, shares bigint NOT NULL, comments bigint, saves bigint) ON COMMIT DROP
            """);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY demo_snapshots FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var s in snapshots)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(s.VideoId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(s.ScrapedAt, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(s.Views, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(s.Likes, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(s.Shares, NpgsqlDbType.Bigint, ct);
                await WriteNullableAsync(copy, s.Comments, ct);
                await WriteNullableAsync(copy, s.Saves, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await ExecuteAsync($"""
            CREATE TEMP TABLE demo_history ON COMMIT DROP AS
            SELECT v.id AS video_id, d.scraped_at, d.views, d.likes, d.shares, d.comments, d.saves
            FROM demo_snapshots d JOIN scraped_videos v ON v.platform = '{Platforms.TikTok}' AND v.platform_video_id = d.platform_video_id
            """);
        await ExecuteAsync("ANALYZE demo_history");
        await ExecuteAsync("""
            DELETE FROM video_snapshots s
            WHERE s.video_id IN (SELECT video_id FROM demo_history)
              AND NOT EXISTS (SELECT 1 FROM demo_history h WHERE h.video_id = s.video_id AND h.scraped_at = s.scraped_at)
            """);
        var added = await ExecuteAsync("""
            INSERT INTO video_snapshots (video_id, scraped_at, views, likes, shares, comments, saves)
            SELECT video_id, scraped_at, views, likes, shares, comments, saves FROM demo_history
            ON CONFLICT DO NOTHING
            """);
        await ExecuteAsync("""
            UPDATE scraped_videos v SET first_seen_at = h.first, last_scraped_at = h.last
            FROM (SELECT video_id, min(scraped_at) AS first, max(scraped_at) AS last FROM demo_history GROUP BY video_id) h
            WHERE v.id = h.video_id AND (v.first_seen_at, v.last_scraped_at) IS DISTINCT FROM (h.first, h.last)
            """);
        await tx.CommitAsync(ct);
        return added;

        async Task<int> ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
            return await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, long? value, CancellationToken ct)
    {
        if (value is { } v)
            await copy.WriteAsync(v, NpgsqlDbType.Bigint, ct);
        else
            await copy.WriteNullAsync(ct);
    }

    public async Task<bool> IsDatabaseEmptyAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return !await db.ScrapedVideos.AnyAsync(ct);
    }

    public async Task<SeedReport> StoreAsync(
        IEnumerable<ScrapedVideoRecord> videos,
        IReadOnlyCollection<AnalyzedVideoRecord> analyses,
        IReadOnlyCollection<RatingRecord> ratings,
        IProgress<long>? progress = null,
        CancellationToken ct = default)
    {
        // No snapshot at the import's own time: the generated history (StoreSnapshotsAsync) is the videos' only one, so
        // nothing (a scoring pass) ever reads a first scrape that the history then replaces.
        var videoReport = await importer.ImportAsync(videos, new ImportOptions { Progress = progress, RecordSnapshots = false }, ct);

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = analyses.Select(a => a.VideoId).Concat(ratings.Select(r => r.VideoId)).Distinct().ToList();
        var videoIds = await db.ScrapedVideos
            .Where(v => v.Platform == Platforms.TikTok && ids.Contains(v.PlatformVideoId))
            .ToDictionaryAsync(v => v.PlatformVideoId, v => v.Id, ct);
        var analysed = (await db.AnalyzedVideos.Where(a => videoIds.Values.Contains(a.VideoId))
            .Select(a => new { a.VideoId, a.AnalysisVersion }).ToListAsync(ct))
            .Select(a => (a.VideoId, a.AnalysisVersion)).ToHashSet();
        var rated = (await db.VideoRatings.Where(r => videoIds.Values.Contains(r.VideoId))
            .Select(r => new { r.VideoId, r.Rater }).ToListAsync(ct))
            .Select(r => (r.VideoId, r.Rater)).ToHashSet();

        var newAnalyses = analyses
            .Where(a => videoIds.ContainsKey(a.VideoId) && !analysed.Contains((videoIds[a.VideoId], a.AnalysisVersion)))
            .Select(a => new AnalyzedVideo
            {
                VideoId = videoIds[a.VideoId],
                AnalysisVersion = a.AnalysisVersion,
                VisualAnalysis = a.VisualAnalysisJson,
                FeatureCount = a.FeatureCount,
                AnalyzedAt = a.AnalyzedAt,
            }).ToList();
        var newRatings = ratings
            .Where(r => videoIds.ContainsKey(r.VideoId) && !rated.Contains((videoIds[r.VideoId], r.Rater)))
            .Select(r => new VideoRating
            {
                VideoId = videoIds[r.VideoId],
                Rater = r.Rater,
                RaterType = r.RaterType,
                OverallScore = r.OverallScore,
                Hook = r.Hook,
                Pacing = r.Pacing,
                Payoff = r.Payoff,
                Originality = r.Originality,
                Rewatchable = r.Rewatchable,
                Notes = r.Notes,
                RatedAt = r.RatedAt,
                SecondsSpent = r.SecondsSpent,
            }).ToList();
        db.AnalyzedVideos.AddRange(newAnalyses);
        db.VideoRatings.AddRange(newRatings);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new SeedReport(videoReport, newAnalyses.Count, newRatings.Count);
    }
}
