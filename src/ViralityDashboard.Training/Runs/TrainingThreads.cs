using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// Where training's CPU work runs: a few dedicated background threads (<see cref="TrainingThreadsOptions"/>), never
/// the thread pool that serves requests and Blazor circuits. A fit queued here runs with this scheduler as
/// <see cref="TaskScheduler.Current"/>, so parallel work it starts without naming a scheduler (ML.NET's FastTree,
/// <c>Parallel.For</c> with default options) stays here too; Core's cross-validation is told it explicitly
/// (<see cref="Parallelism"/>). However many tasks are queued, at most <see cref="MaximumConcurrencyLevel"/> run at once.
/// </summary>
/// <remarks>
/// Measured before (issue 10 §1): a 1M-video fit on the pool (<c>Task.Run</c>, folds over every core) held the pool's
/// threads for seconds at a time, and single <c>/api/predict</c> requests took 2–3 s instead of 0.5 ms.
/// </remarks>
public sealed class TrainingThreads : TaskScheduler, IDisposable
{
    [ThreadStatic] private static TrainingThreads? _servedByThisThread;

    private readonly LinkedList<Task> _queue = new();
    private readonly Thread[] _threads;
    private bool _disposed;
    private int _busy;
    private int _peakBusy;

    private readonly bool _lowPriority;

    public TrainingThreads(IOptions<TrainingThreadsOptions> options)
        : this(options.Value.EffectiveThreads, options.Value.LowPriority)
    {
    }

    public TrainingThreads(int threads, bool lowPriority = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _lowPriority = lowPriority;
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            // Background: an abandoned fit (time budget) never keeps the process alive at shutdown.
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"training-{i + 1}" };
            _threads[i].Start();
        }
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    /// <summary>What Core's pipelines take: their parallel work (cross-validation folds) on these threads, at most this many at once.</summary>
    public TrainingParallelism Parallelism => new(_threads.Length, this);

    /// <summary>The most of these threads that were busy at the same time since start (tests and diagnostics).</summary>
    public int PeakBusyThreads => Volatile.Read(ref _peakBusy);

    /// <summary>Runs <paramref name="work"/> on a training thread.</summary>
    public Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    protected override void QueueTask(Task task)
    {
        lock (_queue)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.AddLast(task);
            Monitor.Pulse(_queue);
        }
    }

    // Only on our own threads: a training thread waiting for a fold it queued runs it itself (no deadlock with one
    // thread), while a pool thread never picks up training work.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _servedByThisThread == this && (!taskWasPreviouslyQueued || TryDequeue(task)) && TryExecuteTask(task);

    protected override bool TryDequeue(Task task)
    {
        lock (_queue)
            return _queue.Remove(task);
    }

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue)
            return _queue.ToArray();
    }

    private void Work()
    {
        _servedByThisThread = this;
        if (_lowPriority)
            BackgroundThreadPriority.LowerCurrentThread();
        while (true)
        {
            Task task;
            lock (_queue)
            {
                while (_queue.Count == 0 && !_disposed)
                    Monitor.Wait(_queue);
                if (_queue.Count == 0)
                    return;
                task = _queue.First!.Value;
                _queue.RemoveFirst();
            }
            var busy = Interlocked.Increment(ref _busy);
            for (var peak = Volatile.Read(ref _peakBusy); busy > peak; peak = Volatile.Read(ref _peakBusy))
                Interlocked.CompareExchange(ref _peakBusy, busy, peak);
            TryExecuteTask(task);
            Interlocked.Decrement(ref _busy);
        }
    }

    /// <summary>Lets the threads finish what is queued, then end; queuing more afterwards throws.</summary>
    public void Dispose()
    {
        lock (_queue)
        {
            _disposed = true;
            Monitor.PulseAll(_queue);
        }
    }
}
