using Microsoft.Extensions.Logging.Abstractions;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

public sealed class TrainingLifecycleTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TheFitAndItsParallelWorkRunOnBoundedTrainingThreadsNotOnThePoolThatServesRequests()
    {
        await using var db = await postgres.CreateDatabaseAsync(new Dictionary<string, string?> { ["Virality:Training:MaxTrainingThreads"] = "2" });
        var kind = new ObservingKind(db.Get<ActiveModelCache>());

        var outcome = await db.Get<TrainingLifecycle>().RunAsync(kind, new TrainingRequest(), RunTrigger.Manual, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, outcome);
        Assert.False(kind.FitOnPoolThread);
        // Parallel work the fit starts on its current scheduler stays on the training threads, at most as many at once as configured.
        Assert.Equal(16, kind.Iterations);
        Assert.Equal(0, kind.IterationsOnPoolThreads);
        Assert.InRange(kind.PeakConcurrency, 1, 2);
    }

    /// <summary>A kind whose fit only records where it runs, and how many of its parallel iterations run at once.</summary>
    private sealed class ObservingKind(ActiveModelCache cache) : IModelKindTrainer<object, LoadedModel, RunStatus>
    {
        private int _running;
        private int _peak;
        private int _onPool;
        private int _iterations;

        public bool FitOnPoolThread { get; private set; } = true;
        public int PeakConcurrency => _peak;
        public int IterationsOnPoolThreads => _onPool;
        public int Iterations => _iterations;

        public ModelKindInfo<LoadedModel> Info => new(ModelKind.Engagement, "Test run", "test", cache, NullLogger.Instance);
        public int TimeBudgetSeconds => 60;
        public object Begin(TrainingRequest request, TrainingRun row) => new();
        public Task ReadAsync(object run, TrainingRun row, List<StepTiming> timings, CancellationToken ct) => Task.CompletedTask;
        public void CompareWith(object run, LoadedModel? active) { }

        public IReadOnlyList<StepTiming>? Fit(object run, Action<StepTiming> progress)
        {
            FitOnPoolThread = Thread.CurrentThread.IsThreadPoolThread;
            Parallel.For(0, 16, new ParallelOptions { TaskScheduler = TaskScheduler.Current }, _ =>
            {
                var now = Interlocked.Increment(ref _running);
                InterlockedMax(ref _peak, now);
                if (Thread.CurrentThread.IsThreadPoolThread)
                    Interlocked.Increment(ref _onPool);
                Thread.SpinWait(2_000_000);
                Interlocked.Increment(ref _iterations);
                Interlocked.Decrement(ref _running);
            });
            return null;
        }

        public GateOutcome? Gate(object run) => null;
        public Task StoreRowsAsync(object run, TrainingRun row, CancellationToken ct) => Task.CompletedTask;
        public (ModelVersion Version, string? Reason)? Candidate(object run, TrainingRun row) => null;
        public void Complete(object run, TrainingRun row, string? versionTag) { }
        public RunStatus Outcome(object run, TrainingRun row, IReadOnlyList<StepTiming> timings, string? versionTag, bool activated) => row.Status;

        private static void InterlockedMax(ref int target, int value)
        {
            var seen = Volatile.Read(ref target);
            while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var was && was != seen)
                seen = was;
        }
    }
}
