using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Training.Preference;

/// <summary>
/// Served predictions on their way to <c>prediction_log</c>. A request only enqueues (<see cref="TryEnqueue"/>
/// is a non-blocking write to a bounded channel); <see cref="PredictionLogWriter"/> inserts them in batches in
/// the background. When the channel is full (the database is slow or down) further entries are dropped and
/// counted in <see cref="Dropped"/> rather than making a prediction wait: the log serves monitoring, and a
/// gap in it costs less than a slow answer.
/// </summary>
public sealed class PredictionLog(IDbContextFactory<ViralityDbContext> contexts, IOptions<PreferenceOptions> options, ILogger<PredictionLog> logger)
{
    public const int BatchSize = 500;

    private readonly Channel<PredictionLogEntry> _channel = Channel.CreateBounded<PredictionLogEntry>(
        new BoundedChannelOptions(options.Value.PredictionLogCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false });
    private long _dropped;
    private long _failed;

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries lost because their batch insert failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public int Pending => _channel.Reader.Count;

    /// <summary>Never blocks. False when the entry was dropped (queue full).</summary>
    public bool TryEnqueue(PredictionLogEntry entry)
    {
        // With FullMode.Wait, TryWrite returns false instead of waiting when the channel is full.
        if (_channel.Writer.TryWrite(entry))
            return true;
        if (Interlocked.Increment(ref _dropped) is 1 or 1000 or 100_000)
            logger.LogWarning("Prediction log queue full: {Dropped} entries dropped so far", Dropped);
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
        var batch = new List<PredictionLogEntry>(Math.Min(BatchSize, Math.Max(1, _channel.Reader.Count)));
        while (batch.Count < BatchSize && _channel.Reader.TryRead(out var entry))
            batch.Add(entry);
        if (batch.Count == 0)
            return 0;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.PredictionLog.AddRange(batch);
            await db.SaveChangesAsync(ct);
            return batch.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Add(ref _failed, batch.Count);
            logger.LogWarning(e, "Could not write {Count} prediction log entries; they are lost", batch.Count);
            return 0;
        }
    }
}

/// <summary>Runs <see cref="PredictionLog"/>'s batch writer for the web app's lifetime and flushes what is left at shutdown.</summary>
public sealed class PredictionLogWriter(PredictionLog log) : BackgroundService
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
        await log.FlushAsync(cancellationToken);
    }
}
