using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Data.Queries;

/// <summary>A stored calibration baseline, its JSON columns read back.</summary>
public sealed record StoredBaseline(long Id, CalibrationSnapshot Snapshot)
{
    public DateTimeOffset ComputedAt => Snapshot.ComputedAt;
    public int VideoCount => Snapshot.VideoCount;
}

/// <summary>Trainable videos whose views fall in [<paramref name="From"/>, <paramref name="To"/>).</summary>
public sealed record HistogramBin(double From, double To, long Count);

/// <summary>How many trainable videos a baseline's thresholds put in each tier of a scheme.</summary>
public sealed record TierShare(string Scheme, int Tier, long Count);

public interface ICalibrationPageQueries
{
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<StoredBaseline>> ListBaselinesAsync(int limit, CancellationToken ct = default);

    /// <summary>Views of trainable videos in equal-width bins of log10(views), counted by PostgreSQL; empty ends trimmed.</summary>
    Task<IReadOnlyList<HistogramBin>> GetViewsHistogramAsync(int binsPerDecade, CancellationToken ct = default);

    /// <summary>Tier counts under both built-in schemes with the baseline's thresholds, in one scan.</summary>
    Task<IReadOnlyList<TierShare>> GetTierSharesAsync(StoredBaseline baseline, CancellationToken ct = default);

    /// <summary>Computes over all trainable rows with the configured WES weights and stores the baseline.</summary>
    Task<StoredBaseline> ComputeAndStoreAsync(WesWeights weights, CancellationToken ct = default);
}

public sealed class CalibrationPageQueries(IDbContextFactory<ViralityDbContext> contexts, CalibrationQueries calibration) : ICalibrationPageQueries
{
    public async Task<IReadOnlyList<StoredBaseline>> ListBaselinesAsync(int limit, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.CalibrationBaselines.AsNoTracking().OrderByDescending(b => b.ComputedAt).ThenByDescending(b => b.Id).Take(limit).ToListAsync(ct);
        return rows.Select(b => new StoredBaseline(b.Id, new CalibrationSnapshot(
            b.ComputedAt, b.VideoCount,
            JsonSerializer.Deserialize<Dictionary<string, double>>(b.ViewPercentiles) ?? [],
            JsonSerializer.Deserialize<Dictionary<string, double>>(b.WesPercentiles) ?? [],
            JsonSerializer.Deserialize<WesWeights>(b.WesWeights) ?? WesWeights.Default))).ToList();
    }

    // A fixed range, 1 to 10^10 views, so the query is a single scan (a data-dependent top edge needs max()
    // first, a second scan); empty bins at either end are trimmed afterwards.
    private const double TopDecade = 10;

    private const string HistogramSql = """
        SELECT least(greatest(width_bucket(log10(views::float8), 0, @top, @bins), 1), @bins) AS bin, count(*)
        FROM scraped_videos
        WHERE views > 0 AND quality_flags = 0
        GROUP BY 1
        """;

    /// <param name="binsPerDecade">Bins per power of ten of views.</param>
    public async Task<IReadOnlyList<HistogramBin>> GetViewsHistogramAsync(int binsPerDecade, CancellationToken ct = default)
    {
        var bins = (int)(binsPerDecade * TopDecade);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(HistogramSql, conn);
        cmd.Parameters.AddWithValue("bins", bins);
        cmd.Parameters.AddWithValue("top", TopDecade);
        var counts = new long[bins];
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                counts[reader.GetInt32(0) - 1] = reader.GetInt64(1);
        }
        var first = Array.FindIndex(counts, c => c > 0);
        if (first < 0)
            return [];
        var last = Array.FindLastIndex(counts, c => c > 0);
        var width = TopDecade / bins;
        return Enumerable.Range(first, last - first + 1)
            .Select(i => new HistogramBin(Math.Pow(10, i * width), Math.Pow(10, (i + 1) * width), counts[i])).ToList();
    }

    // Tier = 1 + the number of thresholds strictly below the value, as TierThresholds.Assign does.
    private const string TierSql = $"""
        WITH t AS (
            SELECT views::float8 AS v,
                   {WesSql.Expression} AS wes
            FROM scraped_videos
            WHERE views > 0 AND quality_flags = 0)
        SELECT 1 + (v > @v1)::int + (v > @v2)::int + (v > @v3)::int + (v > @v4)::int,
               1 + (wes > @e1)::int + (wes > @e2)::int + (wes > @e3)::int + (wes > @e4)::int,
               count(*)
        FROM t GROUP BY 1, 2
        """;

    public async Task<IReadOnlyList<TierShare>> GetTierSharesAsync(StoredBaseline baseline, CancellationToken ct = default)
    {
        var views = baseline.Snapshot.ThresholdsFor(TierScheme.Views).Values;
        var wes = baseline.Snapshot.ThresholdsFor(TierScheme.Wes).Values;
        var weights = baseline.Snapshot.WesWeights;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(TierSql, conn);
        WesSql.AddWeights(cmd, weights);
        for (var i = 0; i < 4; i++)
        {
            cmd.Parameters.AddWithValue($"v{i + 1}", views[i]);
            cmd.Parameters.AddWithValue($"e{i + 1}", wes[i]);
        }
        var byView = new long[TierScheme.TierCount];
        var byWes = new long[TierScheme.TierCount];
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var n = reader.GetInt64(2);
                byView[reader.GetInt32(0) - 1] += n;
                byWes[reader.GetInt32(1) - 1] += n;
            }
        }
        return byView.Select((n, i) => new TierShare(TierScheme.Views.Name, i + 1, n))
            .Concat(byWes.Select((n, i) => new TierShare(TierScheme.Wes.Name, i + 1, n)))
            .ToList();
    }

    public async Task<StoredBaseline> ComputeAndStoreAsync(WesWeights weights, CancellationToken ct = default)
    {
        var (id, snapshot) = await calibration.ComputeAndStoreAsync(weights, ct);
        return new StoredBaseline(id, snapshot);
    }
}
