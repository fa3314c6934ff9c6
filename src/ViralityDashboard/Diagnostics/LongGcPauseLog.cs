namespace ViralityDashboard.Diagnostics;

/// <summary>
/// Logs every garbage collection that paused the process for longer than <see cref="Threshold"/>: a pause stops every
/// request and circuit at once, so it is the first suspect when one request is slow and the next are not (issue 10 §1,
/// requests during a retrain). The runtime keeps the last collection of each kind, so a sample every 100 ms sees a
/// long pause (a short one may be overwritten first, which is fine: those are not what this is for).
/// </summary>
internal sealed class LongGcPauseLog(ILogger<LongGcPauseLog> logger) : BackgroundService
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(50);

    private static readonly GCKind[] Kinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = Kinds.ToDictionary(k => k, k => GC.GetGCMemoryInfo(k).Index);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var kind in Kinds)
            {
                var info = GC.GetGCMemoryInfo(kind);
                if (info.Index == seen[kind])
                    continue;
                seen[kind] = info.Index;
                var paused = TimeSpan.Zero;
                foreach (var pause in info.PauseDurations)
                    paused += pause;
                if (paused > Threshold)
                    logger.LogWarning("A {Kind} garbage collection of generation {Generation} paused the process for {Milliseconds:N0} ms (heap {HeapMiB:N0} MiB, {Promoted:N0} MiB promoted)",
                        kind, info.Generation, paused.TotalMilliseconds, info.HeapSizeBytes / 1048576.0, info.PromotedBytes / 1048576.0);
            }
        }
    }
}
