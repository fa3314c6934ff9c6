using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Scores every video no scoring pass has seen yet (no <c>scoring</c> row of that feature set) with the active version
/// of each engagement feature set and its shadows: what each would have said when the video was first seen. Reads
/// videos in batches with Npgsql, predicts on the training threads, and writes the log rows with binary COPY, all in
/// one transaction under an advisory lock, so two passes never score the same video twice.
/// </summary>
public sealed class ScoringPass(
    NpgsqlDataSource data, ActiveModelCache cache, TrainingThreads threads, TimeProvider clock,
    IOptions<MonitoringOptions> options, ILogger<ScoringPass> logger) : IScoringPass
{
    // The anti-join runs once per feature set, into a temporary table of the new videos' ids; the batches then walk that
    // table by id, instead of re-running the anti-join per batch against the rows this transaction has just copied in.
    private const string NewVideosSql = $"""
        INSERT INTO scoring_new (id)
        SELECT v.id FROM scraped_videos v
        WHERE {MonitoredVideos.Scorable}
          AND NOT EXISTS (SELECT 1 FROM prediction_log p WHERE p.video_id = v.id AND p.source = 'scoring' AND p.feature_set = @set)
        """;

    private const string BatchSql = $"""
        SELECT {MonitoredVideos.FirstSeenColumns}
        FROM scoring_new n
        JOIN scraped_videos v ON v.id = n.id
        {MonitoredVideos.FirstSnapshotJoin}
        WHERE n.id > @after
        ORDER BY n.id
        LIMIT @batch
        """;

    private const string CopySql = """
        COPY prediction_log (model_version_id, kind, source, feature_set, inputs_hash, features, probabilities, predicted_tier, score,
                             served_at, video_id, observed_at)
        FROM STDIN (FORMAT BINARY)
        """;

    private sealed record ScoredRow(long VideoId, DateTimeOffset ObservedAt, string Hash, string FeaturesJson, float[][] Probabilities);

    public async Task<ScoringPassResult> ScoreNewVideosAsync(CancellationToken ct = default)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('monitoring:scoring'))", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);

        var versions = await VersionsInPlayAsync(conn, tx, ct);
        var now = clock.GetUtcNow();
        var scoredVideos = new HashSet<long>();
        var predictions = 0;
        foreach (var set in versions.GroupBy(v => v.FeatureSet.Name))
        {
            var models = set.ToArray();
            var featureSet = models[0].FeatureSet;
            await CollectNewAsync(conn, tx, featureSet.Name, ct);
            var batch = await ReadBatchAsync(conn, tx, 0, ct);
            while (batch.Count > 0)
            {
                // The training threads score this batch while the connection reads the next one.
                var scoring = ScoreAsync(batch, featureSet, models);
                var next = batch.Count < options.Value.ScoringBatchSize ? [] : await ReadBatchAsync(conn, tx, batch[^1].Id, ct);
                predictions += await WriteAsync(conn, await scoring, models, now, ct);
                foreach (var v in batch)
                    scoredVideos.Add(v.Id);
                batch = next;
            }
        }
        await tx.CommitAsync(ct);
        var tags = versions.Select(v => v.VersionTag).ToList();
        if (predictions > 0)
            logger.LogInformation("Scoring pass: {Videos} new videos, {Predictions} predictions logged by {Versions}", scoredVideos.Count, predictions, string.Join(", ", tags));
        return new ScoringPassResult(scoredVideos.Count, predictions, tags);
    }

    /// <summary>The active engagement version of each feature set and the shadows of it, loaded (the cache keeps them).</summary>
    private async Task<List<LoadedModel>> VersionsInPlayAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tags = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT version_tag FROM model_versions
            WHERE kind = @kind AND (is_active OR is_shadow)
            ORDER BY feature_set, is_active DESC, id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("kind", ModelKind.Engagement.Wire());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                tags.Add(r.GetString(0));
        }
        var models = new List<LoadedModel>(tags.Count);
        foreach (var tag in tags)
            models.Add(await cache.GetByTagAsync(tag, ct));
        return models;
    }

    private static async Task CollectNewAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string featureSet, CancellationToken ct)
    {
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE IF NOT EXISTS scoring_new (id bigint PRIMARY KEY) ON COMMIT DROP; TRUNCATE scoring_new", conn, tx))
            await create.ExecuteNonQueryAsync(ct);
        await using (var collect = new NpgsqlCommand(NewVideosSql, conn, tx))
        {
            collect.Parameters.AddWithValue("set", featureSet);
            await collect.ExecuteNonQueryAsync(ct);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE scoring_new", conn, tx);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<FirstSeenVideo>> ReadBatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long after, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(BatchSql, conn, tx);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("batch", options.Value.ScoringBatchSize);
        var batch = new List<FirstSeenVideo>(options.Value.ScoringBatchSize);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            batch.Add(MonitoredVideos.ReadFirstSeen(r));
        return batch;
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

    private static async Task<int> WriteAsync(NpgsqlConnection conn, ScoredRow[] rows, LoadedModel[] models, DateTimeOffset now, CancellationToken ct)
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
                written++;
            }
        }
        await writer.CompleteAsync(ct);
        return written;
    }
}
