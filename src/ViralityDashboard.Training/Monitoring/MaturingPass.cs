using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Gives each logged engagement prediction of a known video its outcome tier once the video is mature
/// (<see cref="MonitoringOptions.MatureAfterDays"/> after posting), from its latest snapshot and by the predicting
/// version's own thresholds; then adds only those predictions to their (version, week) confusion counts in
/// <c>realized_metrics</c> and recomputes the figures of the rows it touched from their counts. One transaction per
/// batch of <see cref="MonitoringOptions.MaturingBatchSize"/> predictions.
/// </summary>
/// <remarks>
/// Only a prediction whose outcome snapshot is later than the one it was made from is counted (issue 23 §4). A video
/// first seen already mature and never scraped again is judged on its own inputs: it would tell how well the model
/// reads a grown video, not how well it forecasts. It still gets its outcome (so no pass reads it again), and is
/// counted apart in <c>realized_metrics.no_later_snapshot</c>. So is a video first seen by the version's
/// <c>trained_through</c> (<c>in_training</c>): the version may have been fitted on its outcome, so it would read as a
/// forecast what was in-sample (issue 23 §6). Backfilled predictions (<c>prediction_log.backfill</c>) are kept in weeks
/// of their own: a backtest beside the live weeks.
/// <para>
/// Every prediction of a known video gets its outcome, but realized metrics count only the scoring job's: a page or API
/// prediction repeats a video as often as someone asks, from counts they typed, which would weigh and skew the weeks.
/// </para>
/// </remarks>
public sealed class MaturingPass(
    NpgsqlDataSource data, TimeProvider clock, IOptions<MonitoringOptions> options, IOptions<EngagementTrainingOptions> training,
    ILogger<MaturingPass> logger) : IMaturingPass
{
    private const string CandidatesSql = $"""
        SELECT p.id, p.model_version_id, {MonitoredVideos.LatestColumns}, l.scraped_at, l.scraped_at > p.observed_at
        FROM prediction_log p
        JOIN scraped_videos v ON v.id = p.video_id
        {MonitoredVideos.FirstSnapshotJoin}
        {MonitoredVideos.LatestSnapshotJoin}
        WHERE p.video_id IS NOT NULL AND p.outcome_tier IS NULL
          AND p.kind = @kind AND p.model_version_id IS NOT NULL AND p.predicted_tier IS NOT NULL
          AND {MonitoredVideos.PostedAt} <= @cutoff
          AND p.id > @after
        ORDER BY p.id
        LIMIT @limit
        FOR UPDATE OF p
        """;

    // Cells of the newly matured scoring predictions judged on a later snapshot and first seen after the version's
    // training data → one 25-count array per (version, week, backfill), added element-wise to what the row held, and the
    // others' counts beside it: only the new predictions are counted, never the whole log again.
    private const string UpsertSql = """
        WITH judged AS (
            SELECT p.model_version_id AS v, date_trunc('week', p.observed_at AT TIME ZONE 'UTC')::date AS w, p.backfill AS b,
                   (m.outcome - 1) * 5 + (p.predicted_tier - 1) AS i, m.later,
                   coalesce(p.observed_at <= mv.trained_through, false) AS in_training
            FROM matured_now m
            JOIN prediction_log p ON p.id = m.id
            JOIN model_versions mv ON mv.id = p.model_version_id
            WHERE p.source = 'scoring'),
        cells AS (SELECT v, w, b, i, count(*)::int AS n FROM judged WHERE later AND NOT in_training GROUP BY 1, 2, 3, 4),
        weeks AS (
            SELECT v, w, b, count(*) FILTER (WHERE NOT later)::int AS apart, count(*) FILTER (WHERE later AND in_training)::int AS in_training
            FROM judged GROUP BY 1, 2, 3),
        grid AS (
            SELECT g.v, g.w, g.b, g.apart, g.in_training, array_agg(coalesce(c.n, 0) ORDER BY s.i) AS confusion, sum(coalesce(c.n, 0))::int AS matured
            FROM weeks g
            CROSS JOIN generate_series(0, 24) AS s(i)
            LEFT JOIN cells c ON c.v = g.v AND c.w = g.w AND c.b = g.b AND c.i = s.i
            GROUP BY g.v, g.w, g.b, g.apart, g.in_training)
        INSERT INTO realized_metrics AS r (model_version_id, week, backfill, matured, no_later_snapshot, in_training, accuracy, macro_f1, kappa, within_one, confusion, updated_at)
        SELECT v, w, b, matured, apart, in_training, 0, 0, 0, 0, confusion, @now FROM grid
        ON CONFLICT (model_version_id, week, backfill) DO UPDATE SET
            matured = r.matured + excluded.matured,
            no_later_snapshot = r.no_later_snapshot + excluded.no_later_snapshot,
            in_training = r.in_training + excluded.in_training,
            confusion = ARRAY(SELECT a + b FROM unnest(r.confusion, excluded.confusion) WITH ORDINALITY AS t(a, b, o) ORDER BY o),
            updated_at = excluded.updated_at
        RETURNING model_version_id, week, backfill, confusion, matured
        """;

    public async Task<MaturingPassResult> MatureAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.MatureAfterDays);
        var limit = options.Value.MaturingBatchSize;
        var (matured, apart) = (0, 0);
        var weeks = new HashSet<(long Version, DateOnly Week)>();
        // Batches of predictions in id order, each in its own transaction: a backlog of a million (a large scraped
        // history imported and scored at once) ran past the command timeout as one transaction, failed, and was
        // tried again whole every hour, never maturing anything. Now each batch that commits stays done.
        for (long after = 0; ;)
        {
            var batch = await MatureBatchAsync(now, cutoff, after, limit, ct);
            matured += batch.Matured;
            apart += batch.NoLaterSnapshot;
            weeks.UnionWith(batch.Weeks);
            if (batch.Read < limit)
                break;
            after = batch.LastId;
        }
        if (matured > 0)
            logger.LogInformation("Maturing pass: {Matured} predictions matured ({Apart} not counted: no snapshot after their inputs), {Weeks} realized weeks updated",
                matured, apart, weeks.Count);
        return new MaturingPassResult(matured, weeks.Count) { NoLaterSnapshot = apart };
    }

    private sealed record BatchResult(int Read, long LastId, int Matured, int NoLaterSnapshot, IReadOnlyList<(long Version, DateOnly Week)> Weeks);

    /// <summary>Up to <paramref name="limit"/> due predictions with ids above <paramref name="after"/>: outcomes and realized counts, one transaction.</summary>
    private async Task<BatchResult> MatureBatchAsync(DateTimeOffset now, DateTimeOffset cutoff, long after, int limit, CancellationToken ct)
    {
        var weights = training.Value.WesWeights;
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('monitoring:maturing'))", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);

        var thresholds = await ThresholdsAsync(conn, tx, ct);
        var matured = new List<(long Id, short Outcome, DateTimeOffset? OutcomeAt, bool Later)>();
        var (read, lastId) = (0, after);
        await using (var cmd = new NpgsqlCommand(CandidatesSql, conn, tx))
        {
            cmd.Parameters.AddWithValue("kind", ModelKind.Engagement.Wire());
            cmd.Parameters.AddWithValue("cutoff", cutoff);
            cmd.Parameters.AddWithValue("after", after);
            cmd.Parameters.AddWithValue("limit", limit);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                (read, lastId) = (read + 1, r.GetInt64(0));
                // A version without stored thresholds (trained on the bundled fallback set) cannot be judged by its own tiers.
                if (!thresholds.TryGetValue(r.GetInt64(1), out var own) || own is null)
                    continue;
                if (MonitoredVideos.OutcomeTier(own, MonitoredVideos.ReadCounts(r, 2), weights) is { } outcome)
                    matured.Add((r.GetInt64(0), (short)outcome, r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), !r.IsDBNull(8) && r.GetBoolean(8)));
            }
        }
        if (matured.Count == 0)
        {
            await tx.CommitAsync(ct);
            return new BatchResult(read, lastId, 0, 0, []);
        }

        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE matured_now (id bigint PRIMARY KEY, outcome smallint NOT NULL, outcome_at timestamptz, later boolean NOT NULL) ON COMMIT DROP", conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await using (var writer = await conn.BeginBinaryImportAsync("COPY matured_now (id, outcome, outcome_at, later) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, outcome, outcomeAt, later) in matured)
            {
                writer.StartRow();
                writer.Write(id, NpgsqlDbType.Bigint);
                writer.Write(outcome, NpgsqlDbType.Smallint);
                if (outcomeAt is { } at)
                    writer.Write(at, NpgsqlDbType.TimestampTz);
                else
                    writer.WriteNull();
                writer.Write(later, NpgsqlDbType.Boolean);
            }
            await writer.CompleteAsync(ct);
        }
        await using (var update = new NpgsqlCommand("""
            UPDATE prediction_log p SET outcome_tier = m.outcome, outcome_at = m.outcome_at, matured_at = @now FROM matured_now m WHERE p.id = m.id
            """, conn, tx))
        {
            update.Parameters.AddWithValue("now", now);
            await update.ExecuteNonQueryAsync(ct);
        }

        var touched = new List<(long Version, DateOnly Week, bool Backfill, ClassificationMetrics Figures)>();
        var weeksTouched = new List<(long Version, DateOnly Week)>();
        await using (var upsert = new NpgsqlCommand(UpsertSql, conn, tx))
        {
            upsert.Parameters.AddWithValue("now", now);
            await using var r = await upsert.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                weeksTouched.Add((r.GetInt64(0), r.GetFieldValue<DateOnly>(1)));
                // A week of only uncounted predictions has no figures to compute (metrics of no predictions are undefined).
                if (r.GetInt32(4) > 0)
                    touched.Add((r.GetInt64(0), r.GetFieldValue<DateOnly>(1), r.GetBoolean(2), Metrics.FromConfusion(ToMatrix(r.GetFieldValue<int[]>(3)))));
            }
        }
        if (touched.Count > 0)
            await WriteFiguresAsync(conn, tx, touched, ct);
        await tx.CommitAsync(ct);
        return new BatchResult(read, lastId, matured.Count, matured.Count(m => !m.Later), weeksTouched);
    }

    /// <summary>Row-major 25 counts (actual − 1) × 5 + (predicted − 1) → rows actual, columns predicted.</summary>
    public static int[][] ToMatrix(int[] cells)
    {
        var n = TierScheme.TierCount;
        if (cells.Length != n * n)
            throw new ArgumentException($"Expected {n * n} confusion counts, got {cells.Length}.", nameof(cells));
        var matrix = new int[n][];
        for (var a = 0; a < n; a++)
            matrix[a] = cells.AsSpan(a * n, n).ToArray();
        return matrix;
    }

    private static async Task<Dictionary<long, TierThresholds?>> ThresholdsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var result = new Dictionary<long, TierThresholds?>();
        await using var cmd = new NpgsqlCommand("SELECT id, thresholds FROM model_versions WHERE kind = @kind", conn, tx);
        cmd.Parameters.AddWithValue("kind", ModelKind.Engagement.Wire());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            result[r.GetInt64(0)] = MonitoredVideos.ParseThresholds(r.GetString(1));
        return result;
    }

    private static async Task WriteFiguresAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, List<(long Version, DateOnly Week, bool Backfill, ClassificationMetrics Figures)> touched, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE realized_metrics r SET accuracy = u.a, macro_f1 = u.f, kappa = u.k, within_one = u.w1
            FROM unnest(@versions, @weeks, @backfill, @a, @f, @k, @w1) AS u(v, w, b, a, f, k, w1)
            WHERE r.model_version_id = u.v AND r.week = u.w AND r.backfill = u.b
            """, conn, tx);
        cmd.Parameters.AddWithValue("versions", touched.Select(t => t.Version).ToArray());
        cmd.Parameters.AddWithValue("weeks", touched.Select(t => t.Week).ToArray());
        cmd.Parameters.AddWithValue("backfill", touched.Select(t => t.Backfill).ToArray());
        cmd.Parameters.AddWithValue("a", touched.Select(t => t.Figures.Accuracy).ToArray());
        cmd.Parameters.AddWithValue("f", touched.Select(t => t.Figures.MacroF1).ToArray());
        cmd.Parameters.AddWithValue("k", touched.Select(t => t.Figures.QuadraticWeightedKappa).ToArray());
        cmd.Parameters.AddWithValue("w1", touched.Select(t => t.Figures.WithinOneTierAccuracy).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
