using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
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
    private const string BatchSql = $"""
        SELECT {MonitoredVideos.FirstSeenColumns}
        FROM scraped_videos v
        {MonitoredVideos.FirstSnapshotJoin}
        WHERE v.id > @after AND {MonitoredVideos.Scorable}
          AND NOT EXISTS (SELECT 1 FROM prediction_log p WHERE p.video_id = v.id AND p.source = 'scoring' AND p.feature_set = @set)
        ORDER BY v.id
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
            long after = 0;
            while (true)
            {
                var batch = await ReadBatchAsync(conn, tx, featureSet.Name, after, ct);
                if (batch.Count == 0)
                    break;
                after = batch[^1].Id;
                var scored = await ScoreAsync(batch, featureSet, models);
                predictions += await WriteAsync(conn, scored, models, now, ct);
                foreach (var v in batch)
                    scoredVideos.Add(v.Id);
                if (batch.Count < options.Value.ScoringBatchSize)
                    break;
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

    private async Task<List<FirstSeenVideo>> ReadBatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string featureSet, long after, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(BatchSql, conn, tx);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("set", featureSet);
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

    internal static (Dictionary<string, float> Named, float[] Values) Features(FirstSeenVideo video, FeatureSet featureSet)
    {
        var values = FeatureExtractor.Extract(video.Record, featureSet);
        var names = featureSet.FeatureNames;
        var named = new Dictionary<string, float>(names.Count);
        for (var i = 0; i < names.Count; i++)
            named[names[i]] = values[i];
        return (named, values);
    }

    private static ScoredRow Score(FirstSeenVideo video, FeatureSet featureSet, LoadedModel[] models)
    {
        var (named, values) = Features(video, featureSet);
        var probabilities = new float[models.Length][];
        for (var m = 0; m < models.Length; m++)
            probabilities[m] = models[m].Model.PredictProbabilities(values);
        // The same hash and JSON as a served prediction of these features (PredictionService.LogEntry).
        return new ScoredRow(video.Id, video.ObservedAt, InputsHash.Of(named), JsonSerializer.Serialize(named), probabilities);
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
