using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>What one retention pass deleted, by rule, and in how many transactions.</summary>
public sealed record RetentionPassResult(long Served, long Preference, long Scoring, int Batches)
{
    public long Deleted => Served + Preference + Scoring;
}

/// <summary>Deletes the <c>prediction_log</c> rows <see cref="PredictionLogRetentionOptions"/> no longer keeps.</summary>
public interface IRetentionPass
{
    Task<RetentionPassResult> DeleteExpiredAsync(CancellationToken ct = default);
}

/// <summary>
/// Deletes expired prediction-log rows rule by rule, <see cref="PredictionLogRetentionOptions.BatchSize"/> rows per
/// statement, each batch its own transaction: <c>/api/predict</c>'s inserts and the readers never wait on it, and a
/// pass stopped half-way keeps what it deleted. Each rule reads its own partial index in time order
/// (<c>ix_prediction_log_served_expiry</c>, <c>ix_prediction_log_matured_scoring_expiry</c>) and the next batch starts
/// at the time the last one reached, so no batch walks again over the dead index entries of the batches before it.
/// </summary>
/// <remarks>
/// Rows are found by <c>ctid</c> (a TID scan, no primary-key lookup per row). A row another transaction updates between
/// the two (the maturing pass giving an API prediction its outcome) has moved, so the delete skips it; the next pass
/// takes it. Monthly partitions dropped whole were the alternative: the three rules cut across any one time column, and
/// the scoring job's COPY, the maturing pass's UPDATE and four partial indexes would all have to follow the partitions.
/// </remarks>
public sealed class RetentionPass(
    NpgsqlDataSource data, TimeProvider clock, IOptions<PredictionLogRetentionOptions> options, ILogger<RetentionPass> logger) : IRetentionPass
{
    private const string ServedRule = "kind = @kind AND source <> 'scoring' AND served_at < @cutoff";
    private const string ScoringRule = "source = 'scoring' AND matured_at IS NOT NULL AND matured_at < @cutoff";

    private static string BatchSql(string rule, string time, bool resume) => $"""
        WITH doomed AS (
            DELETE FROM prediction_log WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM prediction_log
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
        async Task<long> RuleAsync(string rule, string time, ModelKind? kind, int days)
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
                await using var cmd = new NpgsqlCommand(BatchSql(rule, time, from is not null), conn, tx);
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

        var served = await RuleAsync(ServedRule, "served_at", ModelKind.Engagement, o.ServedDays);
        var preference = await RuleAsync(ServedRule, "served_at", ModelKind.Preference, o.PreferenceDays);
        var scoring = await RuleAsync(ScoringRule, "matured_at", null, o.MaturedScoringDays);
        var result = new RetentionPassResult(served, preference, scoring, batches);
        if (result.Deleted > 0)
            logger.LogInformation("Prediction log retention: {Served} served engagement, {Preference} preference and {Scoring} matured scoring predictions deleted in {Batches} batches",
                served, preference, scoring, batches);
        return result;
    }
}
