using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// What one retention pass deleted: whole monthly partitions and the rows in them, then the rest by rule, in how many
/// transactions.
/// </summary>
public sealed record RetentionPassResult(long Served, long Preference, long Scoring, int Batches, int Partitions = 0, long PartitionRows = 0)
{
    public long Deleted => Served + Preference + Scoring + PartitionRows;
}

/// <summary>Deletes the <c>prediction_log</c> rows <see cref="PredictionLogRetentionOptions"/> no longer keeps.</summary>
public interface IRetentionPass
{
    Task<RetentionPassResult> DeleteExpiredAsync(CancellationToken ct = default);
}

/// <summary>
/// First makes sure this month and the next have their partitions, and drops whole every month (of <c>served_at</c>)
/// whose rows have all expired (<see cref="PredictionLogPartitions"/>). Then deletes the expired rows left (in the default
/// partition, and in months that still keep a row) rule by rule, <see cref="PredictionLogRetentionOptions.BatchSize"/> rows per
/// statement, each batch its own transaction: <c>/api/predict</c>'s inserts and the readers never wait on it, and a
/// pass stopped half-way keeps what it deleted. Each rule reads its own partial index in time order
/// (<c>ix_prediction_log_served_expiry</c>, <c>ix_prediction_log_matured_scoring_expiry</c>) and the next batch starts
/// at the time the last one reached, so no batch walks again over the dead index entries of the batches before it.
/// </summary>
/// <remarks>
/// Rows are found by <c>ctid</c> (a TID scan, no primary-key lookup per row). A row another transaction updates between
/// the two (the maturing pass giving an API prediction its outcome) has moved, so the delete skips it; the next pass
/// takes it. Deleting rows writes a full-page image per heap page to the WAL (about 16 GB and 323 s for 10M rows), hence
/// the months dropped whole first; in a log the pass keeps up with hourly, the rows of the month that straddles a cutoff
/// still go by batches as they expire.
/// </remarks>
public sealed class RetentionPass(
    NpgsqlDataSource data, PredictionLogPartitions partitions, TimeProvider clock, IOptions<PredictionLogRetentionOptions> options,
    ILogger<RetentionPass> logger) : IRetentionPass
{
    /// <summary>
    /// The three rules, each written as its partial index's predicate so it is counted from that index alone; no row
    /// matches two (kinds differ, or the source is scoring or not), so a month is wholly expired when they add up to it.
    /// </summary>
    private static readonly string[] ExpiredRules =
    [
        "kind = @engagement AND source <> 'scoring' AND served_at < @served_cutoff",
        "kind = @preference AND source <> 'scoring' AND served_at < @preference_cutoff",
        "source = 'scoring' AND matured_at IS NOT NULL AND matured_at < @scoring_cutoff",
    ];

    private const string ServedRule = "kind = @kind AND source <> 'scoring' AND served_at < @cutoff";
    private const string ScoringRule = "source = 'scoring' AND matured_at IS NOT NULL AND matured_at < @cutoff";

    // One partition at a time: a ctid names a row only within its partition (through the parent, (0,1) would match the
    // first row of every partition).
    private static string BatchSql(string leaf, string rule, string time, bool resume) => $"""
        WITH doomed AS (
            DELETE FROM {leaf} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {leaf}
                WHERE {rule}{(resume ? $" AND {time} >= @from" : "")}
                ORDER BY {time}
                LIMIT @limit))
            RETURNING {time} AS t)
        SELECT count(*), max(t) FROM doomed
        """;

    public async Task<RetentionPassResult> DeleteExpiredAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var batches = 0;
        async Task<long> RuleAsync(IReadOnlyList<string> leaves, string rule, string time, ModelKind? kind, int days)
        {
            var deleted = 0L;
            foreach (var leaf in leaves)
                deleted += await LeafAsync(leaf, rule, time, kind, days);
            return deleted;
        }
        async Task<long> LeafAsync(string leaf, string rule, string time, ModelKind? kind, int days)
        {
            var deleted = 0L;
            DateTimeOffset? from = null;
            await using var conn = await data.OpenConnectionAsync(ct);
            while (true)
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                // A batch's commit need not wait for its WAL (tens of MB of page images) to reach the disk: if the server
                // crashes first, the rows are still there and the next pass deletes them.
                await using (var relax = new NpgsqlCommand("SET LOCAL synchronous_commit = off", conn, tx))
                    await relax.ExecuteNonQueryAsync(ct);
                await using var cmd = new NpgsqlCommand(BatchSql(leaf, rule, time, from is not null), conn, tx);
                if (kind is { } k)
                    cmd.Parameters.AddWithValue("kind", k.Wire());
                cmd.Parameters.AddWithValue("cutoff", now.AddDays(-days));
                cmd.Parameters.AddWithValue("limit", o.BatchSize);
                if (from is { } f)
                    cmd.Parameters.AddWithValue("from", f);
                long n;
                DateTimeOffset? reached;
                await using (var r = await cmd.ExecuteReaderAsync(ct))
                {
                    await r.ReadAsync(ct);
                    (n, reached) = (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1));
                }
                await tx.CommitAsync(ct);
                if (n == 0)
                    return deleted;
                (deleted, batches, from) = (deleted + n, batches + 1, reached);
                // Fewer than a batch: the rule's rows are done (a row that moved under this batch waits for the next pass).
                if (n < o.BatchSize)
                    return deleted;
            }
        }

        await partitions.EnsureAsync(now, now.AddMonths(1), ct);
        var whole = await partitions.DropExpiredAsync(now.AddDays(-o.ServedDays), ExpiredRules, new Dictionary<string, object>
        {
            ["engagement"] = ModelKind.Engagement.Wire(), ["preference"] = ModelKind.Preference.Wire(),
            ["served_cutoff"] = now.AddDays(-o.ServedDays), ["preference_cutoff"] = now.AddDays(-o.PreferenceDays),
            ["scoring_cutoff"] = now.AddDays(-o.MaturedScoringDays),
        }, ct);
        var leaves = await partitions.LeavesAsync(ct);
        var served = await RuleAsync(leaves, ServedRule, "served_at", ModelKind.Engagement, o.ServedDays);
        var preference = await RuleAsync(leaves, ServedRule, "served_at", ModelKind.Preference, o.PreferenceDays);
        var scoring = await RuleAsync(leaves, ScoringRule, "matured_at", null, o.MaturedScoringDays);
        var result = new RetentionPassResult(served, preference, scoring, batches, whole.Partitions, whole.Rows);
        if (result.Deleted > 0)
            logger.LogInformation("Prediction log retention: {Partitions} months dropped whole ({PartitionRows} rows), then {Served} served engagement, {Preference} preference and {Scoring} matured scoring predictions deleted in {Batches} batches",
                whole.Partitions, whole.Rows, served, preference, scoring, batches);
        return result;
    }
}
