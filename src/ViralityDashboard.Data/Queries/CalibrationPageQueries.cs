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

    /// <summary>Views of trainable videos in equal-width bins of log10(views), counted by PostgreSQL.</summary>
    Task<IReadOnlyList<HistogramBin>> GetViewsHistogramAsync(int bins, CancellationToken ct = default);

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

    // The top edge is the next power of ten above the largest count, so bins are stable between calls and
    // the maximum itself (which width_bucket would put in bin n + 1) is clamped into the last bin.
    private const string HistogramSql = """
        WITH t AS (SELECT log10(views::float8) AS x FROM scraped_videos WHERE views > 0 AND quality_flags = 0),
             r AS (SELECT greatest(ceil(max(x)), 1) AS hi FROM t)
        SELECT least(width_bucket(t.x, 0, r.hi, @bins), @bins) AS bin, r.hi, count(*)
        FROM t, r
        GROUP BY 1, 2
        ORDER BY 1
        """;

    public async Task<IReadOnlyList<HistogramBin>> GetViewsHistogramAsync(int bins, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(HistogramSql, conn);
        cmd.Parameters.AddWithValue("bins", bins);
        var counts = new long[bins];
        double hi = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetInt32(0) - 1] = reader.GetInt64(2);
                hi = reader.GetDouble(1);
            }
        }
        if (hi == 0)
            return [];
        var width = hi / bins;
        return counts.Select((c, i) => new HistogramBin(Math.Pow(10, i * width), Math.Pow(10, (i + 1) * width), c)).ToList();
    }

    // Tier = 1 + the number of thresholds strictly below the value, as TierThresholds.Assign does.
    private const string TierSql = """
        WITH t AS (
            SELECT views::float8 AS v,
                   (likes * @w1 + comments * @w2 + shares * @w3 + COALESCE(saves::float8, likes * 0.15::float8) * @w4) / views AS wes
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
        cmd.Parameters.AddWithValue("w1", weights.Likes);
        cmd.Parameters.AddWithValue("w2", weights.Comments);
        cmd.Parameters.AddWithValue("w3", weights.Shares);
        cmd.Parameters.AddWithValue("w4", weights.Saves);
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
