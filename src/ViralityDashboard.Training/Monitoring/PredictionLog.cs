using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Served predictions of both kinds on their way to <c>prediction_log</c>. A request only enqueues (<see cref="TryEnqueue"/>
/// is a non-blocking write to a bounded channel); <see cref="PredictionLogWriter"/> inserts them in batches in
/// the background. When the channel is full (the database is slow or down) further entries are dropped and
/// counted in <see cref="Dropped"/> rather than making a prediction wait: the log serves monitoring, and a
/// gap in it costs less than a slow answer. The scoring job does not come through here: it writes its own rows with COPY.
/// </summary>
public sealed class PredictionLog(IDbContextFactory<ViralityDbContext> contexts, IOptions<PreferenceOptions> options, ILogger<PredictionLog> logger)
{
    public const int BatchSize = 2000;

    /// <summary>An entry and, when the request named one, the platform's id of the video, resolved to ours by the writer.</summary>
    private readonly record struct Queued(PredictionLogEntry Entry, string? PlatformVideoId);

    private readonly Channel<Queued> _channel = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(options.Value.PredictionLogCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false });
    private readonly long[] _dropped = new long[Enum.GetValues<ModelKind>().Length];
    private readonly int[] _pending = new int[Enum.GetValues<ModelKind>().Length];
    private long _failed;

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Enum.GetValues<ModelKind>().Sum(DroppedOf);

    /// <summary>Entries of one kind dropped because the queue was full.</summary>
    public long DroppedOf(ModelKind kind) => Interlocked.Read(ref _dropped[(int)kind]);

    /// <summary>Entries lost because their batch insert failed or was cancelled.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public int Pending => _channel.Reader.Count;

    /// <summary>Entries of one kind queued, not yet written.</summary>
    public int PendingOf(ModelKind kind) => Volatile.Read(ref _pending[(int)kind]);

    /// <summary>Never blocks. False when the entry was dropped (queue full).</summary>
    public bool TryEnqueue(PredictionLogEntry entry) => TryEnqueue(entry, null);

    /// <summary>
    /// As <see cref="TryEnqueue(PredictionLogEntry)"/>; <paramref name="platformVideoId"/> names the scraped video the
    /// inputs came from, and the writer sets <see cref="PredictionLogEntry.VideoId"/> when it is a known one (one lookup
    /// per batch, never on the request's path).
    /// </summary>
    public bool TryEnqueue(PredictionLogEntry entry, string? platformVideoId)
    {
        var kind = (int)entry.Kind;
        // Counted before the write, so the reader's decrement never runs ahead of it.
        Interlocked.Increment(ref _pending[kind]);
        // With FullMode.Wait, TryWrite returns false instead of waiting when the channel is full.
        if (_channel.Writer.TryWrite(new Queued(entry, string.IsNullOrWhiteSpace(platformVideoId) ? null : platformVideoId)))
            return true;
        Interlocked.Decrement(ref _pending[kind]);
        if (Interlocked.Increment(ref _dropped[kind]) is 1 or 1000 or 100_000)
            logger.LogWarning("Prediction log queue full: {Dropped} {Kind} entries dropped so far", DroppedOf(entry.Kind), entry.Kind.Wire());
        return false;
    }

    /// <summary>Writes everything queued now; the CLI calls it before exiting, tests before asserting.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        var written = 0;
        while (_channel.Reader.Count > 0)
            written += await WriteBatchAsync(ct);
        return written;
    }

    /// <summary>The background loop: waits for entries, then writes them in batches of up to <see cref="BatchSize"/>.</summary>
    internal async Task PumpAsync(CancellationToken ct)
    {
        while (await _channel.Reader.WaitToReadAsync(ct))
            await WriteBatchAsync(ct);
    }

    private async Task<int> WriteBatchAsync(CancellationToken ct)
    {
        var batch = new List<Queued>(Math.Min(BatchSize, Math.Max(1, _channel.Reader.Count)));
        while (batch.Count < BatchSize && _channel.Reader.TryRead(out var queued))
        {
            Interlocked.Decrement(ref _pending[(int)queued.Entry.Kind]);
            batch.Add(queued);
        }
        if (batch.Count == 0)
            return 0;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var named = batch.Where(q => q.PlatformVideoId is not null).Select(q => q.PlatformVideoId!).Distinct().ToList();
            if (named.Count > 0)
            {
                var ids = await db.ScrapedVideos.AsNoTracking()
                    .Where(v => v.Platform == Platforms.TikTok && named.Contains(v.PlatformVideoId))
                    .Select(v => new { v.PlatformVideoId, v.Id })
                    .ToDictionaryAsync(v => v.PlatformVideoId, v => v.Id, ct);
                foreach (var q in batch)
                    if (q.PlatformVideoId is not null && ids.TryGetValue(q.PlatformVideoId, out var id))
                        q.Entry.VideoId = id;
            }
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await conn.OpenAsync(ct);
            await CopyAsync(conn, batch, ct);
            return batch.Count;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref _failed, batch.Count); // taken from the queue, never written
            throw;
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _failed, batch.Count);
            logger.LogWarning(e, "Could not write {Count} prediction log entries; they are lost", batch.Count);
            return 0;
        }
    }

    private const string CopySql = """
        COPY prediction_log (model_version_id, kind, source, feature_set, inputs_hash, features, probabilities, predicted_tier, score,
                             served_at, video_id, observed_at)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// One binary COPY per batch. EF's batched INSERTs wrote about 3,000 rows a second here, below what the API serves
    /// (8,000 predictions a second under wrk): the queue filled, dropped entries, and its backlog, held for seconds,
    /// was promoted through every generation of the garbage collector. COPY is atomic: a batch is written or lost whole.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection conn, List<Queued> batch, CancellationToken ct)
    {
        await using var writer = await conn.BeginBinaryImportAsync(CopySql, ct);
        // Synchronous writes into COPY's buffer, as the scoring job's: an await per field costs more than the rows.
        foreach (var (e, _) in batch)
        {
            writer.StartRow();
            WriteOrNull(writer, e.ModelVersionId, NpgsqlDbType.Bigint);
            writer.Write(e.Kind.Wire(), NpgsqlDbType.Varchar);
            writer.Write(e.Source.Wire(), NpgsqlDbType.Varchar);
            WriteOrNull(writer, e.FeatureSet, NpgsqlDbType.Varchar);
            writer.Write(e.InputsHash, NpgsqlDbType.Char);
            WriteOrNull(writer, e.Features, NpgsqlDbType.Jsonb);
            WriteOrNull(writer, e.Probabilities, NpgsqlDbType.Array | NpgsqlDbType.Real);
            WriteOrNull(writer, e.PredictedTier, NpgsqlDbType.Smallint);
            writer.Write(e.Score, NpgsqlDbType.Double);
            writer.Write(e.ServedAt, NpgsqlDbType.TimestampTz);
            WriteOrNull(writer, e.VideoId, NpgsqlDbType.Bigint);
            writer.Write(e.ObservedAt, NpgsqlDbType.TimestampTz);
        }
        await writer.CompleteAsync(ct);
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
            writer.Write(v, type);
        else
            writer.WriteNull();
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : class
    {
        if (value is null)
            writer.WriteNull();
        else
            writer.Write(value, type);
    }
}

/// <summary>Runs <see cref="PredictionLog"/>'s batch writer for the web app's lifetime and flushes what is left at shutdown.</summary>
public sealed class PredictionLogWriter(PredictionLog log, ILogger<PredictionLogWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await log.PumpAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; StopAsync flushes the rest
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await log.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out (or the database went first): what is left is lost, as a full
            // queue's entries are, rather than the process ending on an unhandled exception.
            logger.LogWarning("Shutdown ran out of time: {Pending} queued prediction log entries were not written", log.Pending);
        }
    }
}
