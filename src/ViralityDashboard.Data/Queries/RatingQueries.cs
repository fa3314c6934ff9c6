using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Queries;

/// <summary>A video waiting for (or shown with) a rating, with what a rater needs to judge it.</summary>
/// <param name="Analyzed">
/// Whether it has an analysis the preference model trains on (so a rating of it counts toward that model now);
/// null where the query did not look.
/// </param>
public sealed record RatingQueueItem(
    long Id, string PlatformVideoId, string? AuthorHandle, string? Description, IReadOnlyList<string> Hashtags,
    string? SoundName, long Views, long Likes, long? Comments, long Shares, long? Saves, double? DurationSeconds,
    DateTimeOffset? CreatedAt, bool? Analyzed = null, string? VideoUrl = null, string? CoverUrl = null)
{
    // The page URL the import kept (Apify's webVideoUrl) when it is TikTok's, so a hostile file cannot point the
    // owner's "open on TikTok" elsewhere; else TikTok's canonical one, which TikTok redirects when the handle is wrong.
    public string TikTokUrl => IsTikTok(VideoUrl) ? VideoUrl! : $"https://www.tiktok.com/@{AuthorHandle ?? "_"}/video/{PlatformVideoId}";

    private static bool IsTikTok(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps
        && (u.Host == "tiktok.com" || u.Host.EndsWith(".tiktok.com", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The cover image the import kept, when it is an http(s) URL (the import lets no other kind in; checked again here
    /// because it becomes an image source on the owner's page).
    /// </summary>
    public string? CoverImageUrl => Uri.TryCreate(CoverUrl, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
        ? CoverUrl : null;

    /// <summary>TikTok's embedded player for this video (allowed by the Content-Security-Policy's frame-src).</summary>
    public string EmbedUrl => $"https://www.tiktok.com/embed/v2/{Uri.EscapeDataString(PlatformVideoId)}";
}

/// <summary>What the rate page saves; scores on 0–1, dimensions optional. <paramref name="RatingId"/> set = edit that rating.</summary>
public sealed record RatingInput(
    long? RatingId, long VideoId, string Rater, double OverallScore, double? Hook, double? Pacing, double? Payoff,
    double? Originality, double? Rewatchable, string? Notes, double SecondsSpent);

/// <summary>A stored rating as the pages show it.</summary>
public sealed record StoredRating(
    long Id, long VideoId, string Rater, double OverallScore, double? Hook, double? Pacing, double? Payoff,
    double? Originality, double? Rewatchable, string? Notes, DateTimeOffset RatedAt, double SecondsSpent);

public interface IRatingQueries
{
    /// <summary>
    /// Unrated videos, those with an analysis the preference model reads (<paramref name="analyzed"/>) first, each group
    /// newest posted first; <paramref name="filter"/> matches caption, handle, sound or a hashtag, <c>@name</c> the handle.
    /// </summary>
    Task<IReadOnlyList<RatingQueueItem>> GetQueueAsync(string? filter, int limit, PreferenceRowFilter analyzed, CancellationToken ct = default);

    /// <summary>Inserts a rating, or updates the one named by <see cref="RatingInput.RatingId"/>; returns its id.</summary>
    Task<long> SaveAsync(RatingInput input, CancellationToken ct = default);

    Task<IReadOnlyList<StoredRating>> GetRatingsAsync(long videoId, CancellationToken ct = default);

    /// <summary>One video by its database id, rated or not; null when there is none.</summary>
    Task<RatingQueueItem?> GetVideoAsync(long videoId, CancellationToken ct = default);
}

public sealed class RatingQueries(IDbContextFactory<ViralityDbContext> contexts, TimeProvider clock) : IRatingQueries
{
    public async Task<IReadOnlyList<RatingQueueItem>> GetQueueAsync(string? filter, int limit, PreferenceRowFilter analyzed, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var unrated = Unrated(db, filter);
        // Analyzed videos first: only their ratings feed the preference model. They are few (analyses are made one
        // by one), so sorting all of them is cheap.
        var ids = await unrated.Where(HasAnalysis(analyzed)).OrderBy(v => v.CreatedAt == null).ThenByDescending(v => v.CreatedAt)
            .ThenByDescending(v => v.Id).Take(limit).Select(v => v.Id).ToListAsync(ct);
        if (ids.Count < limit)
            ids.AddRange(await NewestAsync(unrated.Where(Not(HasAnalysis(analyzed))), limit - ids.Count, ct));
        return await InOrderAsync(db.ScrapedVideos.AsNoTracking(), ids, analyzed, ct);
    }

    private static async Task<List<long>> NewestAsync(IQueryable<ScrapedVideo> q, int limit, CancellationToken ct)
    {
        // Dated videos newest first walk ix_scraped_videos_newest and stop after `limit` unrated ones; undated
        // videos (rare) follow, newest id first. One ORDER BY with the dated ones first would be the same order,
        // but PostgreSQL cannot read "created_at IS NOT NULL DESC" from an index, so it sorted the whole table.
        var ids = await q.Where(v => v.CreatedAt != null).OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            .Take(limit).Select(v => v.Id).ToListAsync(ct);
        if (ids.Count < limit)
            ids.AddRange(await q.Where(v => v.CreatedAt == null).OrderByDescending(v => v.Id).Take(limit - ids.Count).Select(v => v.Id).ToListAsync(ct));
        return ids;
    }

    /// <summary>The video has an analysis that the preference model trains on (the same rule as its training rows).</summary>
    public static Expression<Func<ScrapedVideo, bool>> HasAnalysis(PreferenceRowFilter analyzed) =>
        v => v.Analyses.Any(a => a.AnalysisVersion == analyzed.AnalysisVersion && a.FeatureCount >= analyzed.MinimumFeatureCount);

    private static Expression<Func<ScrapedVideo, bool>> Not(Expression<Func<ScrapedVideo, bool>> e) =>
        Expression.Lambda<Func<ScrapedVideo, bool>>(Expression.Not(e.Body), e.Parameters);

    /// <summary>Videos without any rating, matching <paramref name="filter"/> (caption, handle, sound or a hashtag) when one is given.</summary>
    public static IQueryable<ScrapedVideo> Unrated(ViralityDbContext db, string? filter)
    {
        var q = db.ScrapedVideos.AsNoTracking().Where(v => !v.Ratings.Any());
        if (TextSearch.Parse(filter) is not { } search)
            return q;
        var like = search.Like;
        if (search.HandleOnly)
            return q.Where(v => EF.Functions.ILike(v.AuthorHandle ?? "", like, TextSearch.EscapeCharacter));
        var tag = search.Text.TrimStart('#').ToLowerInvariant();
        return q.Where(v => EF.Functions.ILike(v.Description ?? "", like, TextSearch.EscapeCharacter) || EF.Functions.ILike(v.AuthorHandle ?? "", like, TextSearch.EscapeCharacter)
            || EF.Functions.ILike(v.SoundName ?? "", like, TextSearch.EscapeCharacter) || v.Hashtags.Contains(tag));
    }

    /// <summary>The queue items of those of <paramref name="ids"/> that <paramref name="videos"/> holds, in the order of <paramref name="ids"/>.</summary>
    public static async Task<IReadOnlyList<RatingQueueItem>> InOrderAsync(
        IQueryable<ScrapedVideo> videos, IReadOnlyCollection<long> ids, PreferenceRowFilter analyzed, CancellationToken ct)
    {
        var rows = await videos.Where(v => ids.Contains(v.Id))
            .Select(v => new RatingQueueItem(v.Id, v.PlatformVideoId, v.AuthorHandle, v.Description, v.Hashtags, v.SoundName,
                v.Views, v.Likes, v.Comments, v.Shares, v.Saves, v.DurationSeconds, v.CreatedAt,
                v.Analyses.Any(a => a.AnalysisVersion == analyzed.AnalysisVersion && a.FeatureCount >= analyzed.MinimumFeatureCount), v.VideoUrl, v.CoverUrl))
            .ToDictionaryAsync(v => v.Id, ct);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    public async Task<long> SaveAsync(RatingInput input, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        VideoRating row;
        if (input.RatingId is { } id)
        {
            row = await db.VideoRatings.SingleOrDefaultAsync(r => r.Id == id, ct)
                ?? throw new InvalidOperationException($"Rating {id} no longer exists.");
        }
        else
        {
            row = new VideoRating { VideoId = input.VideoId, RatedAt = clock.GetUtcNow() };
            db.VideoRatings.Add(row);
        }
        row.Rater = input.Rater;
        row.RaterType = RaterType.Owner;
        row.OverallScore = input.OverallScore;
        row.Hook = input.Hook;
        row.Pacing = input.Pacing;
        row.Payoff = input.Payoff;
        row.Originality = input.Originality;
        row.Rewatchable = input.Rewatchable;
        row.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        row.SecondsSpent = Math.Max(0, input.SecondsSpent);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }

    public async Task<RatingQueueItem?> GetVideoAsync(long videoId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ScrapedVideos.AsNoTracking().Where(v => v.Id == videoId)
            .Select(v => new RatingQueueItem(v.Id, v.PlatformVideoId, v.AuthorHandle, v.Description, v.Hashtags, v.SoundName,
                v.Views, v.Likes, v.Comments, v.Shares, v.Saves, v.DurationSeconds, v.CreatedAt, null, v.VideoUrl, v.CoverUrl))
            .FirstOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<StoredRating>> GetRatingsAsync(long videoId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.VideoRatings.AsNoTracking().Where(r => r.VideoId == videoId).OrderByDescending(r => r.RatedAt)
            .Select(r => new StoredRating(r.Id, r.VideoId, r.Rater, r.OverallScore, r.Hook, r.Pacing, r.Payoff, r.Originality,
                r.Rewatchable, r.Notes, r.RatedAt, r.SecondsSpent))
            .ToListAsync(ct);
    }
}
