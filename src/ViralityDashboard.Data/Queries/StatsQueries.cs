using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

/// <param name="VideosIsEstimate">Videos is PostgreSQL's row estimate (<c>pg_class.reltuples</c>), not a count.</param>
public sealed record DatabaseCounts(long Videos, long FlaggedVideos, long AnalyzedVideos, long Ratings, long ModelVersions, long TrainingRuns, bool VideosIsEstimate = false)
{
    /// <summary>
    /// Analyzed videos with no owner rating: the ones that would feed the preference model once rated. Not
    /// analyzed − ratings, which goes wrong as soon as a video without an analysis is rated.
    /// </summary>
    public long UnratedAnalyzedVideos { get; init; }
}

/// <summary>Counts for the overview and the stats verb.</summary>
public interface IStatsQueries
{
    /// <summary>Exact counts; the video count reads the whole table (about 0.1–0.2 s per million rows).</summary>
    Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default);

    /// <summary>As <see cref="GetCountsAsync"/>, but from <see cref="EstimateAbove"/> videos on the video total is the planner's estimate.</summary>
    Task<DatabaseCounts> GetOverviewCountsAsync(CancellationToken ct = default);
}

public sealed class StatsQueries(IDbContextFactory<ViralityDbContext> contexts) : IStatsQueries
{
    /// <summary>Below this the estimate can lag (or be -1 before the first ANALYZE), and an exact count is cheap anyway.</summary>
    public const long EstimateAbove = 100_000;

    public Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default) => CountAsync(allowEstimate: false, ct);

    public Task<DatabaseCounts> GetOverviewCountsAsync(CancellationToken ct = default) => CountAsync(allowEstimate: true, ct);

    private async Task<DatabaseCounts> CountAsync(bool allowEstimate, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        long? estimate = allowEstimate ? await EstimateVideosAsync(db, ct) : null;
        var estimated = estimate >= EstimateAbove;
        return new DatabaseCounts(
            estimated ? estimate!.Value : await db.ScrapedVideos.LongCountAsync(ct),
            // Reads the small partial index ix_scraped_videos_flagged, not the table.
            await db.ScrapedVideos.LongCountAsync(v => v.QualityFlags != DataQualityFlags.None, ct),
            await db.AnalyzedVideos.LongCountAsync(ct),
            await db.VideoRatings.LongCountAsync(ct),
            await db.ModelVersions.LongCountAsync(ct),
            await db.TrainingRuns.LongCountAsync(ct),
            estimated)
        {
            UnratedAnalyzedVideos = await db.ScrapedVideos.LongCountAsync(
                v => v.Analyses.Any() && !v.Ratings.Any(r => r.RaterType == RaterType.Owner), ct),
        };
    }

    internal static async Task<long> EstimateVideosAsync(ViralityDbContext db, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open)
            await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = 'scraped_videos'::regclass", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
