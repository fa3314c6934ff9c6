using System.Diagnostics;

namespace ViralityDashboard.Diagnostics;

/// <summary>
/// Measures, every few milliseconds, how late the machine runs work that is ready: a thread of its own sleeps and
/// records how long past its wake-up time the operating system ran it (CPU contention), and it queues an item to the
/// thread pool and records how long that waited (a starved pool). A slow request is explained by the worst of these
/// during it (<see cref="SlowRequestLog"/>): a busy machine delays every step of a render, a starved pool its
/// continuations, and neither shows in the request's own code.
/// </summary>
internal sealed class SchedulingProbe : IDisposable
{
    private const int Capacity = 4096; // ~40 s of samples at 10 ms
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    private readonly Sample[] _samples = new Sample[Capacity];
    private long _next;
    private readonly Thread _thread;
    private volatile bool _stopped;

    /// <summary>One tick: when it was taken, how late this probe's thread woke, and how long its pool item waited.</summary>
    private record struct Sample(long At, double OsLateMs, double PoolWaitMs);

    public SchedulingProbe()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "scheduling probe" };
        _thread.Start();
    }

    /// <summary>The worst OS wake-up delay and thread-pool wait seen between two <see cref="Stopwatch"/> timestamps.</summary>
    public (double OsLateMs, double PoolWaitMs) WorstBetween(long start, long end)
    {
        double os = 0, pool = 0;
        var last = Interlocked.Read(ref _next);
        for (var i = Math.Max(0, last - Capacity); i < last; i++)
        {
            var s = _samples[i % Capacity];
            if (s.At < start || s.At > end)
                continue;
            os = Math.Max(os, s.OsLateMs);
            pool = Math.Max(pool, s.PoolWaitMs);
        }
        return (os, pool);
    }

    private void Run()
    {
        var poolQueued = 0L;
        var poolWait = 0.0;
        while (!_stopped)
        {
            var before = Stopwatch.GetTimestamp();
            Thread.Sleep(Interval);
            var woke = Stopwatch.GetTimestamp();
            var late = Math.Max(0, Stopwatch.GetElapsedTime(before, woke).TotalMilliseconds - Interval.TotalMilliseconds);
            // The previous tick's pool item: if it has not run yet, its wait so far is the figure.
            var queued = Volatile.Read(ref poolQueued);
            var waited = queued == 0 ? Volatile.Read(ref poolWait) : Stopwatch.GetElapsedTime(queued, woke).TotalMilliseconds;
            _samples[_next % Capacity] = new(woke, late, waited);
            Interlocked.Increment(ref _next);
            if (queued != 0)
                continue; // still waiting: do not pile up more items
            var at = Stopwatch.GetTimestamp();
            Volatile.Write(ref poolQueued, at);
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                if (Interlocked.CompareExchange(ref poolQueued, 0, at) == at)
                    Volatile.Write(ref poolWait, Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            }, null);
        }
    }

    public void Dispose() => _stopped = true;
}
