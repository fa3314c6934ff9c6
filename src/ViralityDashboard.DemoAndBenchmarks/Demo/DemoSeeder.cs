using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.DemoAndBenchmarks.Demo;

public sealed record SeedReport(ImportReport Videos, int AnalysesAdded, int RatingsAdded);

/// <summary>Stores generated demo data; running it twice with the same seed changes nothing the second time.</summary>
public sealed class DemoSeeder(IDbContextFactory<ViralityDbContext> contexts, VideoImporter importer)
{
    /// <summary>Generates demo data and stores it: used by seed-demo and by the first start on an empty embedded database.</summary>
    public Task<SeedReport> SeedAsync(DemoDataOptions options, CancellationToken ct)
    {
        var set = DemoDataGenerator.Generate(options);
        return StoreAsync(set.Videos, set.AnalyzedVideos, set.Ratings, ct: ct);
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
        var videoReport = await importer.ImportAsync(videos, new ImportOptions { Progress = progress }, ct);

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
