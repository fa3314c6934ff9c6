using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>One monthly partition of <c>prediction_log</c>: its table and the UTC month of <c>served_at</c> it holds.</summary>
public sealed record PredictionLogMonth(string Table, DateTimeOffset From, DateTimeOffset To);

/// <summary>What dropping whole months gave: how many partitions went and how many rows were in them.</summary>
public sealed record PartitionDropResult(int Partitions, long Rows);

/// <summary>
/// The monthly partitions of <c>prediction_log</c> (by <c>served_at</c>, UTC; migration
/// <c>PredictionLogMonthlyPartitions</c>): creates months ahead, and drops a month whose rows have all expired as one
/// table, which writes next to nothing to the WAL where deleting its rows wrote a page image per heap page.
/// </summary>
/// <remarks>
/// Rows whose month has no partition land in <c>prediction_log_default</c>. PostgreSQL refuses to create a month whose
/// range already has rows there; that month is then left to the default partition (the batched rules delete its rows),
/// which is simpler than moving rows under the inserts' feet. The DDL takes a lock on the parent that
/// <c>/api/predict</c>'s log writer waits behind, so each statement gives up after <see cref="LockTimeout"/> and the
/// next pass tries again.
/// </remarks>
public sealed class PredictionLogPartitions(NpgsqlDataSource data, ILogger<PredictionLogPartitions> logger)
{
    public const string Parent = "prediction_log";
    public const string LockTimeout = "2s";

    /// <summary>The partition of the UTC month that <paramref name="at"/> falls in.</summary>
    public static PredictionLogMonth MonthOf(DateTimeOffset at)
    {
        var from = new DateTimeOffset(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new PredictionLogMonth($"{Parent}_y{from.Year:0000}m{from.Month:00}", from, from.AddMonths(1));
    }

    /// <summary>
    /// Makes sure every month from <paramref name="from"/>'s to <paramref name="through"/>'s has its partition; idempotent.
    /// A month the default partition already has rows of, or whose lock is not granted in time, is skipped.
    /// </summary>
    /// <returns>The months created by this call.</returns>
    public async Task<IReadOnlyList<string>> EnsureAsync(DateTimeOffset from, DateTimeOffset through, CancellationToken ct = default)
    {
        var existing = (await ListAsync(ct)).Select(p => p.Table).ToHashSet();
        var created = new List<string>();
        await using var conn = await data.OpenConnectionAsync(ct);
        for (var month = MonthOf(from); month.From <= through; month = MonthOf(month.To))
        {
            if (existing.Contains(month.Table))
                continue;
            try
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await ExecuteAsync(conn, tx, $"SET LOCAL lock_timeout = '{LockTimeout}'", ct);
                await ExecuteAsync(conn, tx, string.Create(CultureInfo.InvariantCulture,
                    $"CREATE TABLE IF NOT EXISTS {month.Table} PARTITION OF {Parent} FOR VALUES FROM ('{month.From:yyyy-MM-dd}T00:00:00Z') TO ('{month.To:yyyy-MM-dd}T00:00:00Z')"), ct);
                await tx.CommitAsync(ct);
                created.Add(month.Table);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.LockNotAvailable)
            {
                // Check violation: the default partition holds rows of this month (logged before it was created).
                logger.LogDebug("Prediction log partition {Partition} not created: {Reason}", month.Table, e.MessageText);
            }
        }
        return created;
    }

    /// <summary>Every partition that holds rows (the monthly ones and the default one), as SQL names.</summary>
    public async Task<IReadOnlyList<string>> LeavesAsync(CancellationToken ct = default)
    {
        await using var cmd = data.CreateCommand("SELECT relid::regclass::text FROM pg_partition_tree('prediction_log') WHERE isleaf ORDER BY 1");
        var leaves = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            leaves.Add(r.GetString(0));
        return leaves;
    }

    /// <summary>The monthly partitions, oldest first (not the default one).</summary>
    public async Task<IReadOnlyList<PredictionLogMonth>> ListAsync(CancellationToken ct = default)
    {
        await using var cmd = data.CreateCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'prediction_log'::regclass AND c.relname ~ '^prediction_log_y[0-9]{4}m[0-9]{2}$'
            ORDER BY c.relname
            """);
        var months = new List<PredictionLogMonth>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var name = r.GetString(0);
            var at = new DateTimeOffset(int.Parse(name.AsSpan(Parent.Length + 2, 4), CultureInfo.InvariantCulture),
                int.Parse(name.AsSpan(Parent.Length + 7, 2), CultureInfo.InvariantCulture), 1, 0, 0, 0, TimeSpan.Zero);
            months.Add(MonthOf(at));
        }
        return months;
    }

    /// <summary>
    /// Drops each month that ended by <paramref name="servedCutoff"/> and whose rows all match one of
    /// <paramref name="disjointExpiredRules"/> (SQL conditions on a row, no row matching two, with their parameters):
    /// the month's rows are counted, and those of each rule, then every such month is dropped in one transaction. Each count can be read from an index
    /// alone (the primary key; a rule's partial index), not the month's heap. When the lock is not granted in time
    /// the months wait for the next pass.
    /// </summary>
    /// <remarks>
    /// Nothing makes a month past the cutoff keep a row again between the counts and the drop: the log writers insert
    /// rows served now, and the maturing pass only updates rows still waiting for their outcome, which are kept (so their
    /// month is not dropped).
    /// </remarks>
    public async Task<PartitionDropResult> DropExpiredAsync(DateTimeOffset servedCutoff, IReadOnlyList<string> disjointExpiredRules,
        IReadOnlyDictionary<string, object> parameters, CancellationToken ct = default)
    {
        var expired = new List<(PredictionLogMonth Month, long Rows)>();
        await using var conn = await data.OpenConnectionAsync(ct);
        foreach (var month in (await ListAsync(ct)).Where(m => m.To <= servedCutoff))
        {
            var counts = $"SELECT (SELECT count(*) FROM {month.Table}), "
                + string.Join(" + ", disjointExpiredRules.Select(rule => $"(SELECT count(*) FROM {month.Table} WHERE {rule})"));
            await using var scan = new NpgsqlCommand(counts, conn) { CommandTimeout = 0 };
            foreach (var (name, value) in parameters)
                scan.Parameters.AddWithValue(name, value);
            await using var r = await scan.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            if (r.GetInt64(0) == r.GetInt64(1))
                expired.Add((month, r.GetInt64(0)));
        }
        if (expired.Count == 0)
            return new PartitionDropResult(0, 0);
        try
        {
            // Every month under one lock of the parent: /api/predict's log writer waits once per pass, not once a month
            // (a month at a time, its bounded queue overflowed while 11 months went).
            await using var tx = await conn.BeginTransactionAsync(ct);
            await ExecuteAsync(conn, tx, $"SET LOCAL lock_timeout = '{LockTimeout}'", ct);
            // The parent first, as the inserts through it take it first: the other order could deadlock with them.
            await ExecuteAsync(conn, tx, $"LOCK TABLE {Parent} IN ACCESS EXCLUSIVE MODE", ct);
            foreach (var (month, _) in expired)
                await ExecuteAsync(conn, tx, $"DROP TABLE {month.Table}", ct);
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            logger.LogDebug("Prediction log partitions not dropped this pass: {Reason}", e.MessageText);
            return new PartitionDropResult(0, 0);
        }
        foreach (var (month, rows) in expired)
            logger.LogInformation("Prediction log retention: partition {Partition} dropped whole ({Rows} expired rows)", month.Table, rows);
        return new PartitionDropResult(expired.Count, expired.Sum(m => m.Rows));
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
