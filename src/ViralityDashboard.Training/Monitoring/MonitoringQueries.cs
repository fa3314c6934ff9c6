using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Realized performance as stored by the maturing pass (<c>realized_metrics</c>) beside each version's served and test figures:
/// two queries, no recomputation from the prediction log; and the log's size from the catalog.
/// </summary>
public sealed class MonitoringQueries(IDbContextFactory<ViralityDbContext> contexts, NpgsqlDataSource data, IOptions<PredictionLogRetentionOptions> retention)
    : IMonitoringQueries
{
    /// <summary>Below this estimate the log's rows are counted: reltuples is -1 before the first ANALYZE and lags a small table.</summary>
    public const long CountLogBelow = 100_000;

    /// <summary>
    /// The log's row estimate and bytes, summed over its partitions (a partitioned parent has no storage of its own: size
    /// 0, reltuples -1). Catalog reads only: they cost the same at 10 rows or 100M.
    /// </summary>
    public const string LogSizeSql = """
        SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint, coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
        FROM pg_partition_tree('prediction_log') t JOIN pg_class c ON c.oid = t.relid
        WHERE t.isleaf
        """;

    /// <summary>
    /// Below this many matured predictions a week's accuracy is flagged as a small count: its 95 % interval is then
    /// wider than ±0.15 or so, too wide to read a change against the test accuracy.
    /// </summary>
    public const int FewMatured = 30;

    private const int Tiers = 5;

    public async Task<MonitoringReport> GetAsync(string? versionTag = null, int weeks = 12, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 1);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versions = db.ModelVersions.AsNoTracking().Where(v => v.Kind == ModelKind.Engagement);
        versions = versionTag is null
            ? versions.Where(v => v.IsActive || v.IsShadow || db.RealizedMetrics.Any(r => r.ModelVersionId == v.Id && (r.Matured > 0 || r.NoLaterSnapshot > 0 || r.InTraining > 0)))
            : versions.Where(v => v.VersionTag == versionTag);
        var found = await versions
            .OrderByDescending(v => v.TrainedAt).ThenByDescending(v => v.Id)
            .Select(v => new { v.Id, v.VersionTag, v.FeatureSet, v.IsActive, v.IsShadow, v.TrainedAt, v.Metrics })
            .ToListAsync(ct);
        if (versionTag is not null && found.Count == 0)
            throw new ModelRegistryException($"No engagement model version is tagged '{versionTag}'.");

        var ids = found.Select(v => v.Id).ToList();
        // The last N live and N backtest weeks of each version in one query, by row_number per version and kind (EF cannot
        // translate a Take per group).
        var rows = ids.Count == 0 ? [] : await db.RealizedMetrics.FromSql($"""
            SELECT model_version_id, week, backfill, matured, accuracy, macro_f1, kappa, within_one, confusion, updated_at, no_later_snapshot, in_training
            FROM (SELECT r.*, row_number() OVER (PARTITION BY r.model_version_id, r.backfill ORDER BY r.week DESC) AS recent
                  FROM realized_metrics r
                  WHERE r.model_version_id = ANY({ids.ToArray()}) AND r.matured > 0) weeks
            WHERE recent <= {weeks}
            """).AsNoTracking().ToListAsync(ct);
        var byVersion = rows.ToLookup(r => r.ModelVersionId);
        // Over all weeks, not just those shown: weeks of only such predictions have no figures to show.
        var apart = ids.Count == 0 ? [] : await db.RealizedMetrics.AsNoTracking()
            .Where(r => ids.Contains(r.ModelVersionId) && (r.NoLaterSnapshot > 0 || r.InTraining > 0))
            .GroupBy(r => r.ModelVersionId)
            .Select(g => new { Id = g.Key, NoLater = g.Sum(r => r.NoLaterSnapshot), InTraining = g.Sum(r => r.InTraining) })
            .ToDictionaryAsync(g => g.Id, ct);

        return new MonitoringReport(found.Select(v =>
        {
            // The Models page's reading of the stored metrics: an older or foreign shape reads as no test figures.
            var metrics = StoredJson.Read<EngagementVersionMetrics>(v.Metrics);
            var test = metrics?.Test;
            var realized = byVersion[v.Id].OrderBy(r => r.Week).ThenBy(r => r.Backfill).Select(Figures).ToList();
            return new VersionMonitoring(v.VersionTag, v.FeatureSet, v.IsActive, v.IsShadow, v.TrainedAt, test?.Accuracy, test?.MacroF1, realized)
            {
                ServedAccuracy = metrics?.Served?.Metrics.Accuracy,
                NoLaterSnapshot = apart.GetValueOrDefault(v.Id)?.NoLater ?? 0,
                InTraining = apart.GetValueOrDefault(v.Id)?.InTraining ?? 0,
            };
        }).ToList(), await LogSizeAsync(ct));
    }

    private async Task<PredictionLogSize> LogSizeAsync(CancellationToken ct)
    {
        long estimate, bytes;
        await using (var cmd = data.CreateCommand(LogSizeSql))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            (estimate, bytes) = (r.GetInt64(0), r.GetInt64(1));
        }
        var estimated = estimate >= CountLogBelow;
        if (!estimated)
        {
            await using var count = data.CreateCommand("SELECT count(*) FROM prediction_log");
            estimate = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return new PredictionLogSize(estimate, estimated, bytes, PredictionLogRetention.Of(retention.Value));
    }

    private static RealizedWeekFigures Figures(RealizedWeek r)
    {
        var confusion = new int[Tiers][];
        var correct = 0;
        for (var a = 0; a < Tiers; a++)
        {
            confusion[a] = r.Confusion.AsSpan(a * Tiers, Tiers).ToArray();
            correct += confusion[a][a];
        }
        var (low, high) = Metrics.WilsonInterval(correct, r.Matured);
        return new RealizedWeekFigures(r.Week, r.Matured, r.Accuracy, r.MacroF1, r.Kappa, r.WithinOne, low, high, confusion) { Backfill = r.Backfill };
    }
}
