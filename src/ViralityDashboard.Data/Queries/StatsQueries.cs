using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

public sealed record DatabaseCounts(long Videos, long FlaggedVideos, long AnalyzedVideos, long Ratings, long ModelVersions, long TrainingRuns);

/// <summary>Counts for the overview and the stats verb.</summary>
public interface IStatsQueries
{
    Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default);
}

public sealed class StatsQueries(IDbContextFactory<ViralityDbContext> contexts) : IStatsQueries
{
    public async Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return new DatabaseCounts(
            await db.ScrapedVideos.LongCountAsync(ct),
            await db.ScrapedVideos.LongCountAsync(v => v.QualityFlags != DataQualityFlags.None, ct),
            await db.AnalyzedVideos.LongCountAsync(ct),
            await db.VideoRatings.LongCountAsync(ct),
            await db.ModelVersions.LongCountAsync(ct),
            await db.TrainingRuns.LongCountAsync(ct));
    }
}
