using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Data.Queries;

/// <summary>The sortable columns of the videos table.</summary>
public enum VideoSort { Id, Views, Likes, Comments, Shares, PostedAt }

/// <summary>One page of the videos table: zero-based page, a text filter (video id, handle, caption) and a sort.</summary>
public sealed record VideoPageRequest(int Page, int PageSize, string? Filter = null, VideoSort Sort = VideoSort.Id, bool Descending = true);

public sealed record VideoRow(
    long Id, string PlatformVideoId, string? AuthorHandle, string? Description, long Views, long Likes, long? Comments, long Shares,
    long? Saves, double? DurationSeconds, DateTimeOffset? CreatedAt, DataQualityFlags QualityFlags);

/// <param name="Total">Matching rows; an estimate from the planner statistics when <paramref name="TotalIsEstimate"/>.</param>
public sealed record VideoPage(IReadOnlyList<VideoRow> Rows, long Total, bool TotalIsEstimate);

public interface IVideoTableQueries
{
    Task<VideoPage> GetPageAsync(VideoPageRequest request, CancellationToken ct = default);

    /// <summary>An imported video by its platform id, as the importer's record (for the predictor's prefill).</summary>
    Task<ScrapedVideoRecord?> FindAsync(string platformVideoId, CancellationToken ct = default);
}

/// <summary>
/// Server-side paging for the data page. Unfiltered, the total is <c>pg_class.reltuples</c> (free) instead of a
/// count(*) that reads a million rows on every page; the default sort is the primary key, so a page is an index
/// range read. Other sorts are a top-N heapsort over the table (no secondary indexes, see ScrapedVideoConfiguration).
/// </summary>
public sealed class VideoTableQueries(IDbContextFactory<ViralityDbContext> contexts) : IVideoTableQueries
{
    public async Task<VideoPage> GetPageAsync(VideoPageRequest request, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.ScrapedVideos.AsNoTracking();
        var search = TextSearch.Parse(request.Filter);
        var filtered = search is not null;
        if (search is { HandleOnly: true, Like: var handle })
            q = q.Where(v => EF.Functions.ILike(v.AuthorHandle ?? "", handle, TextSearch.EscapeCharacter));
        else if (search is { Text: var f, Like: var like })
            q = q.Where(v => v.PlatformVideoId == f || EF.Functions.ILike(v.AuthorHandle ?? "", like, TextSearch.EscapeCharacter) || EF.Functions.ILike(v.Description ?? "", like, TextSearch.EscapeCharacter));
        var sorted = (request.Sort, request.Descending) switch
        {
            (VideoSort.Views, false) => q.OrderBy(v => v.Views).ThenBy(v => v.Id),
            (VideoSort.Views, true) => q.OrderByDescending(v => v.Views).ThenByDescending(v => v.Id),
            (VideoSort.Likes, false) => q.OrderBy(v => v.Likes).ThenBy(v => v.Id),
            (VideoSort.Likes, true) => q.OrderByDescending(v => v.Likes).ThenByDescending(v => v.Id),
            (VideoSort.Comments, false) => q.OrderBy(v => v.Comments).ThenBy(v => v.Id),
            // Unknown comments (turned off) last, as ascending order puts them (PostgreSQL sorts NULL as largest).
            (VideoSort.Comments, true) => q.OrderByDescending(v => v.Comments ?? -1).ThenByDescending(v => v.Id),
            (VideoSort.Shares, false) => q.OrderBy(v => v.Shares).ThenBy(v => v.Id),
            (VideoSort.Shares, true) => q.OrderByDescending(v => v.Shares).ThenByDescending(v => v.Id),
            (VideoSort.PostedAt, false) => q.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id),
            (VideoSort.PostedAt, true) => q.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id),
            (_, false) => q.OrderBy(v => v.Id),
            _ => q.OrderByDescending(v => v.Id),
        };
        var size = Math.Clamp(request.PageSize, 1, 500);
        var rows = await sorted.Skip(Math.Max(0, request.Page) * size).Take(size)
            .Select(v => new VideoRow(v.Id, v.PlatformVideoId, v.AuthorHandle, v.Description, v.Views, v.Likes, v.Comments, v.Shares,
                v.Saves, v.DurationSeconds, v.CreatedAt, v.QualityFlags))
            .ToListAsync(ct);
        if (filtered)
            return new VideoPage(rows, await q.LongCountAsync(ct), false);
        var estimate = await EstimateRowsAsync(db, ct);
        // reltuples is -1 before the first ANALYZE and can lag small tables: count exactly when it is small.
        return estimate < 100_000
            ? new VideoPage(rows, await q.LongCountAsync(ct), false)
            : new VideoPage(rows, estimate, true);
    }

    public async Task<ScrapedVideoRecord?> FindAsync(string platformVideoId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var id = platformVideoId.Trim();
        return await db.ScrapedVideos.AsNoTracking().Where(v => v.PlatformVideoId == id)
            .Select(v => new ScrapedVideoRecord
            {
                Platform = v.Platform, VideoId = v.PlatformVideoId, Views = v.Views, Likes = v.Likes, Shares = v.Shares, Comments = v.Comments,
                Saves = v.Saves, DurationSeconds = v.DurationSeconds, Hashtags = v.Hashtags, SoundName = v.SoundName, SoundOriginal = v.SoundOriginal,
                Description = v.Description, CreatedAt = v.CreatedAt, AuthorHandle = v.AuthorHandle, AuthorFollowers = v.AuthorFollowers,
                AuthorVerified = v.AuthorVerified,
                // The current counts are the last scrape's: their age is what the early set reads.
                ScrapedAt = v.LastScrapedAt, FirstSeenAt = v.FirstSeenAt,
            })
            .FirstOrDefaultAsync(ct);
    }

    private static async Task<long> EstimateRowsAsync(ViralityDbContext db, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = 'scraped_videos'::regclass", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The data page's upload: a stream to the importer, behind an interface so the page can be tested without a database.</summary>
public interface IVideoImportCommands
{
    Task<ImportReport> ImportAsync(Stream file, IProgress<long>? progress, CancellationToken ct = default);
}

public sealed class VideoImportCommands(VideoImporter importer) : IVideoImportCommands
{
    public Task<ImportReport> ImportAsync(Stream file, IProgress<long>? progress, CancellationToken ct = default) =>
        importer.ImportAsync(file, new ImportOptions { Progress = progress }, ct);
}
