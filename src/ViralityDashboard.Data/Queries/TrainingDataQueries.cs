using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

/// <summary>What a training run reads: trainable videos (views &gt; 0, no quality flag), newest first.</summary>
public sealed class TrainingDataQueries(IDbContextFactory<ViralityDbContext> contexts)
{
    public async Task<int> CountTrainableAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ScrapedVideos.CountAsync(v => v.Views > 0 && v.QualityFlags == DataQualityFlags.None, ct);
    }

    /// <summary>The newest <paramref name="max"/> trainable videos, in the order CalibrationQueries uses for "newest".</summary>
    public async Task<List<ScrapedVideoRecord>> ReadNewestTrainableAsync(int max = 10_000, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ScrapedVideos.AsNoTracking()
            .Where(v => v.Views > 0 && v.QualityFlags == DataQualityFlags.None)
            .OrderByDescending(v => v.CreatedAt.HasValue).ThenByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            .Take(max)
            .Select(v => new ScrapedVideoRecord
            {
                Platform = v.Platform,
                VideoId = v.PlatformVideoId,
                Views = v.Views,
                Likes = v.Likes,
                Shares = v.Shares,
                Comments = v.Comments,
                Saves = v.Saves,
                DurationSeconds = v.DurationSeconds,
                Hashtags = v.Hashtags,
                SoundName = v.SoundName,
                SoundOriginal = v.SoundOriginal,
                Description = v.Description,
                CreatedAt = v.CreatedAt,
                AuthorHandle = v.AuthorHandle,
                AuthorFollowers = v.AuthorFollowers,
                AuthorVerified = v.AuthorVerified,
            })
            .ToListAsync(ct);
    }
}
