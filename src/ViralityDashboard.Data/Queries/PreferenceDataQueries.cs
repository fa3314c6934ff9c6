using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Queries;

/// <summary>Which analyses count as training data (seed 003 §2: v3 analyses with at least 100 features).</summary>
public sealed record PreferenceRowFilter(string AnalysisVersion = "v3", int MinimumFeatureCount = 100);

/// <summary>
/// A position in the rating stream, (rated_at, rating id) compared lexicographically: ratings after it are
/// "new" to whatever recorded it (a model version, a data-triggered run).
/// </summary>
public sealed record RatingWatermark(DateTimeOffset RatedAt, long RatingId);

/// <summary>One training row as stored: the owner's rating joined to the analysis it was made for.</summary>
public sealed record PreferenceSourceRow(
    long RatingId,
    long VideoId,
    string PlatformVideoId,
    double OverallScore,
    double? Hook,
    double? Pacing,
    double? Payoff,
    double? Originality,
    double? Rewatchable,
    string? Notes,
    DateTimeOffset RatedAt,
    string AnalysisVersion,
    int FeatureCount,
    string VisualAnalysis)
{
    public RatingWatermark Watermark => new(RatedAt, RatingId);

    /// <summary>Core's row: id = the rating id (the hash split and error analysis key on it), analysis flattened.</summary>
    public PreferenceRow ToRow() => new(
        RatingId.ToString(CultureInfo.InvariantCulture),
        AnalysisFlattener.Flatten(VisualAnalysis),
        OverallScore,
        Hook is null && Pacing is null && Payoff is null && Originality is null && Rewatchable is null
            ? null
            : new RatingDimensions(Hook, Pacing, Payoff, Originality, Rewatchable),
        RatedAt);
}

/// <summary>A stored feature-importance snapshot, without its correlations.</summary>
public sealed record ImportanceSnapshotSummary(long Id, string Milestone, int RowCount, DateTimeOffset CreatedAt, long? TrainingRunId);

/// <summary>A stored snapshot with Core's correlation picture (null when the stored JSON no longer fits).</summary>
public sealed record ImportanceSnapshotDetail(ImportanceSnapshotSummary Summary, FeatureImportanceSnapshot? Snapshot);

/// <summary>
/// Reads the preference model's training rows (owner ratings of analyzed videos of one analysis version with
/// enough features, oldest rating first) and the snapshots runs stored. Training, the retrain triggers and
/// <c>export-ratings</c> all read rows through <see cref="ReadRowsAsync"/>, so they agree on what a row is.
/// </summary>
public sealed class PreferenceDataQueries(IDbContextFactory<ViralityDbContext> contexts)
{
    // As TrainingJson writes them (the Training project is not referenced from here).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public async Task<IReadOnlyList<PreferenceSourceRow>> ReadRowsAsync(PreferenceRowFilter filter, RatingWatermark? after = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Rows(db, filter, after)
            .OrderBy(x => x.R.RatedAt).ThenBy(x => x.R.Id)
            .Select(x => new PreferenceSourceRow(
                x.R.Id, x.R.VideoId, x.V.PlatformVideoId, x.R.OverallScore, x.R.Hook, x.R.Pacing, x.R.Payoff, x.R.Originality, x.R.Rewatchable,
                x.R.Notes, x.R.RatedAt, x.A.AnalysisVersion, x.A.FeatureCount, x.A.VisualAnalysis))
            .ToListAsync(ct);
    }

    public async Task<int> CountRowsAsync(PreferenceRowFilter filter, RatingWatermark? after = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Rows(db, filter, after).CountAsync(ct);
    }

    /// <summary>The notes of these ratings, for the error analysis of a run (its rows are keyed by rating id).</summary>
    /// <summary>The rated video and the owner's notes of each rating (for the error analysis, which names ratings).</summary>
    public async Task<IReadOnlyDictionary<long, (long VideoId, string? Notes)>> RatingsAsync(IReadOnlyCollection<long> ratingIds, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.VideoRatings.AsNoTracking().Where(r => ratingIds.Contains(r.Id))
            .Select(r => new { r.Id, r.VideoId, r.Notes }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (r.VideoId, r.Notes));
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<ImportanceSnapshotSummary>> SnapshotsAsync(int take = 50, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ImportanceSnapshots.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(take)
            .Select(s => new ImportanceSnapshotSummary(s.Id, s.Milestone, s.RowCount, s.CreatedAt, s.TrainingRunId))
            .ToListAsync(ct);
    }

    public async Task<ImportanceSnapshotDetail?> SnapshotAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.ImportanceSnapshots.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (s is null)
            return null;
        FeatureImportanceSnapshot? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<FeatureImportanceSnapshot>(s.Correlations, Json);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        return new ImportanceSnapshotDetail(new ImportanceSnapshotSummary(s.Id, s.Milestone, s.RowCount, s.CreatedAt, s.TrainingRunId), parsed);
    }

    /// <summary>How many predictions a version served (logged ones; see the prediction log's drop counter).</summary>
    public async Task<int> PredictionCountAsync(long modelVersionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Served predictions only (none of a preference version is a scoring row): the partial index by version has them.
        return await db.PredictionLog.CountAsync(p => p.ModelVersionId == modelVersionId && p.Source != PredictionSource.Scoring, ct);
    }

    private sealed class Joined
    {
        public Entities.VideoRating R { get; init; } = null!;
        public Entities.AnalyzedVideo A { get; init; } = null!;
        public Entities.ScrapedVideo V { get; init; } = null!;
    }

    private static IQueryable<Joined> Rows(ViralityDbContext db, PreferenceRowFilter filter, RatingWatermark? after)
    {
        var q = from r in db.VideoRatings.AsNoTracking()
                join a in db.AnalyzedVideos.AsNoTracking() on r.VideoId equals a.VideoId
                join v in db.ScrapedVideos.AsNoTracking() on r.VideoId equals v.Id
                where r.RaterType == RaterType.Owner && a.AnalysisVersion == filter.AnalysisVersion && a.FeatureCount >= filter.MinimumFeatureCount
                select new Joined { R = r, A = a, V = v };
        if (after is { } w)
            q = q.Where(x => x.R.RatedAt > w.RatedAt || (x.R.RatedAt == w.RatedAt && x.R.Id > w.RatingId));
        return q;
    }
}
