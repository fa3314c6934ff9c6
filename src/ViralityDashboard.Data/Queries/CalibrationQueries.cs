using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Queries;

/// <summary>Percentiles of views and WES over trainable videos, computed by PostgreSQL.</summary>
/// <param name="Views">Percentile name (p20 …) → views.</param>
/// <param name="Wes">Percentile name → weighted engagement score.</param>
public sealed record CalibrationSnapshot(
    DateTimeOffset ComputedAt, int VideoCount, IReadOnlyDictionary<string, double> Views, IReadOnlyDictionary<string, double> Wes, WesWeights WesWeights)
{
    /// <summary>The four thresholds a tier scheme needs, read from this snapshot.</summary>
    public TierThresholds ThresholdsFor(TierScheme scheme)
    {
        var source = scheme.Measure == TierMeasure.Views ? Views : Wes;
        var values = scheme.Percentiles.Select(p => source[CalibrationQueries.Name(p)]).ToArray();
        return new TierThresholds(scheme.Name, scheme.Measure, scheme.Percentiles.ToArray(), values);
    }
}

/// <summary>
/// Calibration baselines: <c>percentile_cont</c> over trainable rows (views &gt; 0, no quality flag), in SQL
/// rather than in memory, so a million rows never leave the database.
/// </summary>
public sealed class CalibrationQueries(IDbContextFactory<ViralityDbContext> contexts, TimeProvider clock)
{
    /// <summary>Every percentile either tier scheme uses (views p20/40/60/80, WES p25/50/75/90) plus the median.</summary>
    public static IReadOnlyList<double> Percentiles { get; } = [0.20, 0.25, 0.40, 0.50, 0.60, 0.75, 0.80, 0.90];

    public static string Name(double fraction) => $"p{Math.Round(fraction * 100):0}";

    // WES mirrors Core's WeightedEngagementScore term by term, in float8, so a video's label computed in
    // C# and a threshold computed here agree to the last bit on equal inputs.
    // "Newest" = posted most recently; rows without a posting time come last, then the latest stored.
    private const string Sql = $"""
        WITH t AS (
            SELECT views::float8 AS v,
                   {WesSql.Expression} AS wes
            FROM scraped_videos
            WHERE views > 0 AND quality_flags = 0
            ORDER BY created_at DESC NULLS LAST, id DESC
            LIMIT @limit)
        SELECT count(*)::int,
               percentile_cont(@p) WITHIN GROUP (ORDER BY v),
               percentile_cont(@p) WITHIN GROUP (ORDER BY wes)
        FROM t
        """;

    /// <summary>Computes the percentiles without storing them.</summary>
    /// <param name="newest">Only the newest N trainable rows (a training run's rows); null for all.</param>
    public async Task<CalibrationSnapshot> ComputeAsync(WesWeights? weights = null, int? newest = null, CancellationToken ct = default)
    {
        weights ??= WesWeights.Default;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var tx = await BackgroundReads.BeginAsync(conn, ct);
        await using var cmd = new NpgsqlCommand(Sql, conn, tx);
        WesSql.AddWeights(cmd, weights);
        cmd.Parameters.AddWithValue("limit", newest.HasValue ? newest.Value : DBNull.Value).NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer;
        cmd.Parameters.AddWithValue("p", Percentiles.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = reader.GetInt32(0);
        if (count == 0)
            throw new InvalidOperationException("No trainable videos (views > 0, no data-quality flag) to calibrate on.");
        var views = reader.GetFieldValue<double[]>(1);
        var wes = reader.GetFieldValue<double[]>(2);
        return new CalibrationSnapshot(
            clock.GetUtcNow(), count,
            Percentiles.Select((p, i) => (Name(p), views[i])).ToDictionary(x => x.Item1, x => x.Item2),
            Percentiles.Select((p, i) => (Name(p), wes[i])).ToDictionary(x => x.Item1, x => x.Item2),
            weights);
    }

    /// <summary>Computes over all trainable rows and stores a <c>calibration_baselines</c> row.</summary>
    public async Task<(long Id, CalibrationSnapshot Snapshot)> ComputeAndStoreAsync(WesWeights? weights = null, CancellationToken ct = default)
    {
        var snapshot = await ComputeAsync(weights, null, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = new CalibrationBaseline
        {
            ComputedAt = snapshot.ComputedAt,
            VideoCount = snapshot.VideoCount,
            ViewPercentiles = JsonSerializer.Serialize(snapshot.Views),
            WesPercentiles = JsonSerializer.Serialize(snapshot.Wes),
            WesWeights = JsonSerializer.Serialize(snapshot.WesWeights),
        };
        db.CalibrationBaselines.Add(row);
        await db.SaveChangesAsync(ct);
        return (row.Id, snapshot);
    }
}
