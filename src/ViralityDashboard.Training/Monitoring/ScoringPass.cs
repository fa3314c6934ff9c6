using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Scores every video no scoring pass has seen yet with the active version of each engagement feature set and its
/// shadows: what each would have said when the video was first seen. "Not yet seen" is a range of ids above the feature
/// set's watermark (<c>scoring_watermarks</c>): video ids only grow, and the pass reads its upper bound while no import
/// is in flight, so no video of a transaction still open can fall below it. A video flagged when first seen is not
/// scored later if a re-import clears its flags: it was not scorable when first seen. Three stages overlap: a second
/// connection streams the videos in batches, the training threads predict, and the pass's own connection writes the
/// log rows with binary COPY, in one transaction under an advisory lock (with the watermark's advance), so two passes
/// never score the same video twice and a failed pass logs nothing.
/// <para>
/// A video first seen before a version came into play (its first activation or shadowing) is logged as backfill: the
/// pass catching up on videos that were there already (a fresh install's first version scores the whole history). Such
/// predictions are a backtest, kept apart in realized metrics and never read by the drift trigger (issue 24 §2).
/// </para>
/// </summary>
public sealed class ScoringPass(
    NpgsqlDataSource data, ActiveModelCache cache, TrainingThreads threads, TimeProvider clock,
    IOptions<MonitoringOptions> options, ILogger<ScoringPass> logger) : IScoringPass
{
    // SHARE mode waits for every transaction writing scraped_videos (imports lock it SHARE ROW EXCLUSIVE, other writers
    // take ROW EXCLUSIVE) and holds new ones off only until this short transaction ends: every id up to the max is then
    // committed, and any id given out later is higher.
    private const string BoundSql = "LOCK TABLE scraped_videos IN SHARE MODE; SELECT coalesce(max(id), 0) FROM scraped_videos";

    // A feature set without a watermark yet (a new install, or a log scored before watermarks existed) starts after the
    // last video the log has a scoring prediction of, so nothing already scored is scored again.
    private const string WatermarkSql = """
        SELECT coalesce(
            (SELECT scored_through_video_id FROM scoring_watermarks WHERE feature_set = @set),
            (SELECT max(video_id) FROM prediction_log WHERE source = 'scoring' AND feature_set = @set AND video_id IS NOT NULL),
            0)
        """;

    private const string AdvanceSql = """
        INSERT INTO scoring_watermarks (feature_set, scored_through_video_id, updated_at) VALUES (@set, @through, @now)
        ON CONFLICT (feature_set) DO UPDATE
        SET scored_through_video_id = greatest(scoring_watermarks.scored_through_video_id, excluded.scored_through_video_id),
            updated_at = excluded.updated_at
        """;

    private const string BatchSql = $"""
        SELECT {MonitoredVideos.FirstSeenColumns}
        FROM scraped_videos v
        {MonitoredVideos.FirstSnapshotJoin}
        WHERE v.id > @after AND v.id <= @bound AND {MonitoredVideos.Scorable}
        ORDER BY v.id
        """;

    private const string CopySql = """
        COPY prediction_log (model_version_id, kind, source, feature_set, inputs_hash, features, probabilities, predicted_tier, score,
                             served_at, video_id, observed_at, backfill)
        FROM STDIN (FORMAT BINARY)
        """;

    private sealed record ScoredRow(long VideoId, DateTimeOffset ObservedAt, string Hash, string FeaturesJson, float[][] Probabilities);

    public async Task<ScoringPassResult> ScoreNewVideosAsync(CancellationToken ct = default)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        long bound;
        await using (var boundTx = await conn.BeginTransactionAsync(ct))
        {
            await using var boundCmd = new NpgsqlCommand(BoundSql, conn, boundTx);
            bound = (long)(await boundCmd.ExecuteScalarAsync(ct))!;
            await boundTx.CommitAsync(ct);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('monitoring:scoring'))", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);

        var (versions, inPlaySince) = await VersionsInPlayAsync(conn, tx, ct);
        var now = clock.GetUtcNow();
        var scoredVideos = new HashSet<long>();
        var predictions = 0;
        foreach (var set in versions.GroupBy(v => v.FeatureSet.Name))
        {
            var models = set.ToArray();
            var featureSet = models[0].FeatureSet;
            var after = await WatermarkAsync(conn, tx, featureSet.Name, ct);
            if (after < bound)
                predictions += await ScoreRangeAsync(conn, featureSet, models, models.Select(m => inPlaySince[m.VersionId]).ToArray(), after, bound, now, scoredVideos, ct);
            await using var advance = new NpgsqlCommand(AdvanceSql, conn, tx);
            advance.Parameters.AddWithValue("set", featureSet.Name);
            advance.Parameters.AddWithValue("through", bound);
            advance.Parameters.AddWithValue("now", now);
            await advance.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        var tags = versions.Select(v => v.VersionTag).ToList();
        if (predictions > 0)
            logger.LogInformation("Scoring pass: {Videos} new videos, {Predictions} predictions logged by {Versions}", scoredVideos.Count, predictions, string.Join(", ", tags));
        return new ScoringPassResult(scoredVideos.Count, predictions, tags);
    }

    /// <summary>
    /// The active engagement version of each feature set and the shadows of it, loaded (the cache keeps them), with when
    /// each came into play: its first activation or shadowing in the audit (its training time if it has no audit row).
    /// </summary>
    private async Task<(List<LoadedModel> Models, Dictionary<long, DateTimeOffset> InPlaySince)> VersionsInPlayAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tags = new List<string>();
        var since = new Dictionary<long, DateTimeOffset>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT v.version_tag, v.id,
                   coalesce((SELECT min(a.changed_at) FROM model_activations a
                             WHERE a.to_version_id = v.id AND a.action IN ('activate', 'rollback', 'shadow')), v.trained_at)
            FROM model_versions v
            WHERE v.kind = @kind AND (v.is_active OR v.is_shadow)
            ORDER BY v.feature_set, v.is_active DESC, v.id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("kind", ModelKind.Engagement.Wire());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                tags.Add(r.GetString(0));
                since[r.GetInt64(1)] = r.GetFieldValue<DateTimeOffset>(2);
            }
        }
        var models = new List<LoadedModel>(tags.Count);
        foreach (var tag in tags)
            models.Add(await cache.GetByTagAsync(tag, ct));
        return (models, since);
    }

    private static async Task<long> WatermarkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string featureSet, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(WatermarkSql, conn, tx);
        cmd.Parameters.AddWithValue("set", featureSet);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Reads, scores and writes the videos in (<paramref name="after"/>, <paramref name="bound"/>] as a pipeline of batches.</summary>
    private async Task<int> ScoreRangeAsync(
        NpgsqlConnection conn, FeatureSet featureSet, LoadedModel[] models, DateTimeOffset[] inPlaySince, long after, long bound,
        DateTimeOffset now, HashSet<long> scoredVideos, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var read = Channel.CreateBounded<List<FirstSeenVideo>>(2);
        var scored = Channel.CreateBounded<ScoredRow[]>(2);
        // Reading rows is I/O and light parsing; the predictions run on the training threads inside ScoreAsync.
        var reader = Task.Run(() => Stage(read.Writer, () => ReadRangeAsync(after, bound, read.Writer, stop.Token)), stop.Token);
        var scorer = Task.Run(() => Stage(scored.Writer, async () =>
        {
            await foreach (var batch in read.Reader.ReadAllAsync(stop.Token))
                await scored.Writer.WriteAsync(await ScoreAsync(batch, featureSet, models), stop.Token);
        }), stop.Token);
        var written = 0;
        try
        {
            await foreach (var rows in scored.Reader.ReadAllAsync(stop.Token))
            {
                written += await WriteAsync(conn, rows, models, inPlaySince, now, stop.Token);
                foreach (var row in rows)
                    scoredVideos.Add(row.VideoId);
            }
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        finally
        {
            // A stage's failure has already reached this loop through the channels; this only waits for them to end.
            try { await Task.WhenAll(reader, scorer); }
            catch { }
        }
        return written;
    }

    /// <summary>Runs a stage and completes its output channel, with the stage's exception if it failed.</summary>
    private static async Task Stage<T>(ChannelWriter<T> output, Func<Task> body)
    {
        try
        {
            await body();
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    /// <summary>Streams the range on a connection of its own (every row in it is committed: see the bound), in batches.</summary>
    private async Task ReadRangeAsync(long after, long bound, ChannelWriter<List<FirstSeenVideo>> output, CancellationToken ct)
    {
        var size = options.Value.ScoringBatchSize;
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        // The whole range's estimated cost passes jit_above_cost, and compiling the plan costs more than it saves here.
        await using (var jit = new NpgsqlCommand("SET LOCAL jit = off", conn, tx))
            await jit.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(BatchSql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("bound", bound);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var batch = new List<FirstSeenVideo>(size);
        while (await r.ReadAsync(ct))
        {
            batch.Add(MonitoredVideos.ReadFirstSeen(r));
            if (batch.Count == size)
            {
                await output.WriteAsync(batch, ct);
                batch = new List<FirstSeenVideo>(size);
            }
        }
        if (batch.Count > 0)
            await output.WriteAsync(batch, ct);
    }

    /// <summary>Features, hash and every version's probabilities, split over the training threads (never the request pool).</summary>
    private async Task<ScoredRow[]> ScoreAsync(List<FirstSeenVideo> batch, FeatureSet featureSet, LoadedModel[] models)
    {
        var result = new ScoredRow[batch.Count];
        var chunk = (batch.Count + threads.MaximumConcurrencyLevel - 1) / threads.MaximumConcurrencyLevel;
        var work = new List<Task<int>>();
        for (var start = 0; start < batch.Count; start += chunk)
        {
            var (from, to) = (start, Math.Min(batch.Count, start + chunk));
            work.Add(threads.Run(() =>
            {
                for (var i = from; i < to; i++)
                    result[i] = Score(batch[i], featureSet, models);
                return to - from;
            }));
        }
        await Task.WhenAll(work);
        return result;
    }

    private static ScoredRow Score(FirstSeenVideo video, FeatureSet featureSet, LoadedModel[] models)
    {
        var values = FeatureExtractor.Extract(video.Record, featureSet);
        var probabilities = new float[models.Length][];
        for (var m = 0; m < models.Length; m++)
            probabilities[m] = models[m].Model.PredictProbabilities(values);
        // The same hash and JSON as a served prediction of these features (PredictionService.LogEntry).
        var (hash, json) = EngagementInputs.For(featureSet).Of(values);
        return new ScoredRow(video.Id, video.ObservedAt, hash, json, probabilities);
    }

    private static async Task<int> WriteAsync(
        NpgsqlConnection conn, ScoredRow[] rows, LoadedModel[] models, DateTimeOffset[] inPlaySince, DateTimeOffset now, CancellationToken ct)
    {
        var kind = ModelKind.Engagement.Wire();
        var source = PredictionSource.Scoring.Wire();
        var written = 0;
        // Synchronous writes into COPY's buffer: an await per field costs more than the rows (it only blocks to send a full buffer).
        await using var writer = await conn.BeginBinaryImportAsync(CopySql, ct);
        foreach (var row in rows)
        {
            for (var m = 0; m < models.Length; m++)
            {
                var p = row.Probabilities[m];
                writer.StartRow();
                writer.Write(models[m].VersionId, NpgsqlDbType.Bigint);
                writer.Write(kind, NpgsqlDbType.Varchar);
                writer.Write(source, NpgsqlDbType.Varchar);
                writer.Write(models[m].FeatureSet.Name, NpgsqlDbType.Varchar);
                writer.Write(row.Hash, NpgsqlDbType.Char);
                writer.Write(row.FeaturesJson, NpgsqlDbType.Jsonb);
                writer.Write(p, NpgsqlDbType.Array | NpgsqlDbType.Real);
                writer.Write((short)Metrics.ArgMaxTier(p), NpgsqlDbType.Smallint);
                writer.Write(ViralityScore.FromProbabilities(p), NpgsqlDbType.Double);
                writer.Write(now, NpgsqlDbType.TimestampTz);
                writer.Write(row.VideoId, NpgsqlDbType.Bigint);
                writer.Write(row.ObservedAt, NpgsqlDbType.TimestampTz);
                writer.Write(row.ObservedAt < inPlaySince[m], NpgsqlDbType.Boolean);
                written++;
            }
        }
        await writer.CompleteAsync(ct);
        return written;
    }
}
