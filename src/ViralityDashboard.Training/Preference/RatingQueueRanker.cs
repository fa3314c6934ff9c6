using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Training.Preference;

/// <summary>An unrated video in the most-uncertain-first queue, with why the model is unsure about it.</summary>
public sealed record UncertainQueueItem(RatingQueueItem Video, UncertaintyScore Uncertainty);

/// <summary>One ranking of the candidates by the active preference version.</summary>
/// <param name="Candidates">Unrated analyzed videos scored (at most <see cref="PreferenceOptions.UncertaintyCandidateLimit"/>).</param>
/// <param name="Capped">More candidates existed than the limit: the newest analyses were scored.</param>
public sealed record UncertaintyRanking(string VersionTag, long VersionId, int Candidates, bool Capped, DateTimeOffset ComputedAt, TimeSpan Took,
    IReadOnlyList<(long VideoId, UncertaintyScore Uncertainty)> Ranked);

/// <summary>The rate page's active-learning order, behind an interface so bUnit can fake it.</summary>
public interface IRatingQueueRanker
{
    /// <summary>The active preference version's tag, or null when there is none (then only newest-first is offered).</summary>
    Task<string?> ActiveVersionAsync(CancellationToken ct = default);

    /// <summary>Unrated analyzed videos, most uncertain first; empty when no preference model is active.</summary>
    Task<IReadOnlyList<UncertainQueueItem>> GetQueueAsync(string? filter, int limit, CancellationToken ct = default);
}

/// <summary>
/// Orders unrated videos by how unsure the active preference model is about them (<see cref="PreferenceUncertainty"/>).
/// Candidates: unrated videos with an analysis of the configured version and enough features, the newest
/// <see cref="PreferenceOptions.UncertaintyCandidateLimit"/> analyses, read and scored in batches. The ranking is
/// cached per active version for <see cref="PreferenceOptions.UncertaintyCacheMinutes"/>; videos rated since are
/// dropped when the queue is read, so the cache never shows a rated video.
/// </summary>
public sealed class RatingQueueRanker(IDbContextFactory<ViralityDbContext> contexts, PreferenceModelCache models, IOptions<PreferenceOptions> options, TimeProvider clock)
    : IRatingQueueRanker
{
    public const int BatchSize = 500;

    private readonly SemaphoreSlim _computing = new(1, 1);
    private volatile UncertaintyRanking? _cached;

    public async Task<string?> ActiveVersionAsync(CancellationToken ct = default) => (await models.GetActiveAsync(ct))?.VersionTag;

    public async Task<IReadOnlyList<UncertainQueueItem>> GetQueueAsync(string? filter, int limit, CancellationToken ct = default)
    {
        if (await RankAsync(ct) is not { } ranking)
            return [];
        var result = new List<UncertainQueueItem>(limit);
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Walk the ranking a chunk at a time: usually the first chunk fills the page; a narrow filter reads further.
        foreach (var chunk in ranking.Ranked.Chunk(BatchSize))
        {
            var items = await RatingQueries.InOrderAsync(RatingQueries.Unrated(db, filter), chunk.Select(c => c.VideoId).ToArray(), options.Value.Filter, ct);
            var scores = chunk.ToDictionary(c => c.VideoId, c => c.Uncertainty);
            result.AddRange(items.Take(limit - result.Count).Select(v => new UncertainQueueItem(v, scores[v.Id])));
            if (result.Count >= limit)
                break;
        }
        return result;
    }

    /// <summary>The ranking by the active version (cached), or null when no preference version is active.</summary>
    public async Task<UncertaintyRanking?> RankAsync(CancellationToken ct = default)
    {
        if (await models.GetActiveAsync(ct) is not { } model)
            return null;
        if (Fresh(_cached, model))
            return _cached;
        await _computing.WaitAsync(ct);
        try
        {
            if (Fresh(_cached, model))
                return _cached;
            return _cached = await ComputeAsync(model, ct);
        }
        finally
        {
            _computing.Release();
        }
    }

    public void Invalidate() => _cached = null;

    private bool Fresh(UncertaintyRanking? cached, LoadedPreferenceModel model) =>
        cached is not null && cached.VersionId == model.VersionId
        && clock.GetUtcNow() - cached.ComputedAt < TimeSpan.FromMinutes(options.Value.UncertaintyCacheMinutes);

    private async Task<UncertaintyRanking> ComputeAsync(LoadedPreferenceModel model, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var o = options.Value;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var candidates = db.AnalyzedVideos.AsNoTracking()
            .Where(a => a.AnalysisVersion == o.AnalysisVersion && a.FeatureCount >= o.MinimumFeatureCount && !a.Video!.Ratings.Any());
        // Newest analyses first under the cap; ids only, so the cap costs one index-friendly scan.
        var ids = await candidates.OrderByDescending(a => a.Id).Select(a => a.Id).Take(o.UncertaintyCandidateLimit + 1).ToListAsync(ct);
        var capped = ids.Count > o.UncertaintyCandidateLimit;
        if (capped)
            ids.RemoveAt(ids.Count - 1);

        var scored = new List<(long VideoId, UncertaintyScore Uncertainty)>(ids.Count);
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            var rows = await db.AnalyzedVideos.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => new { a.VideoId, a.VisualAnalysis }).ToListAsync(ct);
            foreach (var row in rows)
            {
                // Stored analyses were valid when written; one that no longer parses is skipped, not fatal.
                if (TryFlatten(row.VisualAnalysis) is { } flattened)
                    scored.Add((row.VideoId, PreferenceUncertainty.Of(model.Normalization, model.Model, flattened)));
            }
        }
        var ranked = scored
            .GroupBy(s => s.VideoId).Select(g => g.MaxBy(s => s.Uncertainty.Uncertainty))
            .OrderByDescending(s => s.Uncertainty.Uncertainty).ThenByDescending(s => s.VideoId)
            .ToList();
        return new UncertaintyRanking(model.VersionTag, model.VersionId, ranked.Count, capped, clock.GetUtcNow(), Stopwatch.GetElapsedTime(started), ranked);
    }

    private static IReadOnlyDictionary<string, FeatureValue>? TryFlatten(string json)
    {
        try
        {
            return AnalysisFlattener.Flatten(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }
}
