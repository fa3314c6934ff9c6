using System.Text.Json;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class TrainingPipelineTests
{
    private static readonly LabelledDataset Dataset =
        EngagementDataset.Build(SyntheticVideos.Generate(1500, 21), FeatureSet.Seed15, TierScheme.Views);

    private static TrainingInput Input => new(Dataset.Rows, FeatureSet.Seed15, TierScheme.Views, Dataset.Thresholds);

    [Fact]
    public void RunsEveryStepAndReportsAllFigures()
    {
        var result = TrainingPipeline.Run(Input);

        Assert.Equal(1500, result.RowCount);
        Assert.Equal(1200, result.TrainCount);
        Assert.Equal(300, result.TestCount);
        Assert.Equal([300, 300, 300, 300, 300], result.TierDistribution);
        Assert.True(result.Test.Accuracy > result.MajorityBaseline.Accuracy);
        Assert.True(result.TrainAccuracy > 0);
        Assert.Equal(5, result.CrossValidation!.FoldAccuracies.Count);
        Assert.Equal((1500, (int?)null), (result.CrossValidation.Rows, result.CrossValidation.SampledFrom));
        Assert.Equal(15, result.Leakage.Count);
        Assert.Contains(result.Warnings, w => w.StartsWith(SeedFeatures.ViewsPerFollower));
        Assert.Equal(5, result.Weights!.Weights.Length);
        Assert.Equal(FeatureSet.Seed15.FeatureNames.Order(), result.FeatureImportance!.Select(f => f.Feature).Order());
        Assert.Equal(result.FeatureImportance!.OrderByDescending(f => f.AccuracyDrop).Select(f => f.Feature), result.FeatureImportance!.Select(f => f.Feature));
        Assert.Equal(["split", "fit", "evaluate", "importance", "cross-validate", "leakage", "gate-and-save"], result.Timings.Select(t => t.Step));
        Assert.NotEmpty(result.ModelBytes);
    }

    [Fact]
    public void CrossValidatesOverAStratifiedSampleAboveTheRowLimit()
    {
        var labels = Dataset.Rows.Select(r => r.Label).ToArray();
        var options = new TrainingOptions(CrossValidationMaxRows: 500);

        var sampled = TrainingPipeline.CrossValidate(Dataset.Rows, labels, options);
        var again = TrainingPipeline.CrossValidate(Dataset.Rows, labels, options);

        Assert.Equal((500, (int?)1500), (sampled.Rows, sampled.SampledFrom));
        Assert.Equal(sampled.FoldAccuracies, again.FoldAccuracies);
        Assert.InRange(sampled.AccuracyMean, 0.2, 1.0);
        var all = TrainingPipeline.CrossValidate(Dataset.Rows, labels, options with { CrossValidationMaxRows = 1500 });
        Assert.Equal((1500, (int?)null), (all.Rows, all.SampledFrom));
    }

    [Fact]
    public void ReportsEachStepAsItFinishesInOrder()
    {
        var seen = new List<StepTiming>();

        var result = TrainingPipeline.Run(Input, new TrainingOptions(CrossValidationFolds: 2), progress: seen.Add);

        Assert.Equal(["split", "fit", "evaluate", "importance", "cross-validate", "leakage", "gate-and-save"], seen.Select(s => s.Step));
        Assert.Equal(result.Timings, seen);
    }

    [Fact]
    public void IsDeterministicForTheSameRowsAndOptions()
    {
        var options = new TrainingOptions(CrossValidationFolds: 0, CheckLeakage: false);

        var first = TrainingPipeline.Run(Input, options);
        var second = TrainingPipeline.Run(Input, options);

        Assert.Equal(first.Test.ConfusionMatrix, second.Test.ConfusionMatrix);
        Assert.Equal(first.Weights!.Weights, second.Weights!.Weights);
    }

    [Fact]
    public void SerializesTheResultAsJsonWithoutTheModel()
    {
        var result = TrainingPipeline.Run(Input, new TrainingOptions(CrossValidationFolds: 0));

        var json = JsonSerializer.Serialize(result);
        var back = JsonSerializer.Deserialize<TrainingResult>(json)!;

        Assert.DoesNotContain("ModelBytes", json);
        Assert.Equal(result.Test.Accuracy, back.Test.Accuracy);
        Assert.Equal(result.Thresholds!.Values, back.Thresholds!.Values);
        Assert.Equal(result.Gate.Accepted, back.Gate.Accepted);
    }

    [Fact]
    public void ComparesWithTheActiveModelOnTheSameTestRows()
    {
        var options = new TrainingOptions(CrossValidationFolds: 0, CheckLeakage: false);
        var previous = TrainingPipeline.Run(Input, options);

        var result = TrainingPipeline.Run(Input, options, new ActiveModel("v1", previous.Model!));

        Assert.Equal(result.Test.Accuracy, result.ActiveAccuracyOnTestRows!.Value, 12);
        Assert.Contains(result.Gate.Reasons, r => r.Contains("v1"));
    }

    [Fact]
    public void TrainsOnAPredefinedSplitFromTheBundledSet()
    {
        var file = FallbackTrainingSet.Generate(count: 1000, seed: 5);

        var result = TrainingPipeline.Run(
            new TrainingInput(file.ToRows(), FeatureSet.Seed15, TierScheme.Views),
            new TrainingOptions(Split: SplitKind.Predefined, CrossValidationFolds: 0));

        Assert.Equal(file.TrainSet.Labels.Length, result.TrainCount);
        Assert.Equal(file.TestSet.Labels.Length, result.TestCount);
    }

    [Theory]
    [InlineData(SplitKind.Hash)]
    [InlineData(SplitKind.Time)]
    public void SupportsTheOtherSplits(SplitKind split)
    {
        var result = TrainingPipeline.Run(Input, new TrainingOptions(Split: split, CrossValidationFolds: 0, CheckLeakage: false));

        Assert.InRange(result.TestCount, 240, 360);
        Assert.Equal(split, result.Split);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RunsItsFoldsOnTheGivenSchedulerAtMostMaxDegreeAtOnceWithTheSameFigures(int maxDegree)
    {
        // As in the app, the scheduler has exactly MaxDegree threads: the bound must hold without deadlock. (With spare
        // threads the peak count races: Parallel.For's replicas hand over to a successor task before they finish.)
        using var threads = new CountingThreads(maxDegree);
        var options = new TrainingOptions(CheckLeakage: false, Parallelism: new TrainingParallelism(maxDegree, threads));

        var result = await Task.Factory.StartNew(() => TrainingPipeline.Run(Input, options), CancellationToken.None, TaskCreationOptions.None, threads);

        var onThePool = TrainingPipeline.Run(Input, new TrainingOptions(CheckLeakage: false));
        Assert.Equal(onThePool.CrossValidation!.FoldAccuracies, result.CrossValidation!.FoldAccuracies);
        Assert.Equal(onThePool.Weights!.Weights, result.Weights!.Weights);
        Assert.InRange(threads.PeakBusy, 1, maxDegree);
        // The run itself; from two threads the cross-validation beside the fit; from three its folds side by side.
        Assert.InRange(threads.Queued, maxDegree, int.MaxValue);
        Assert.Equal(0, threads.RanOnThePool);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task TheAutoTrainersSearchStaysWithinTheGivenSchedulerAndGivesTheSameChoice(int maxDegree)
    {
        using var threads = new CountingThreads(maxDegree);
        var options = new TrainingOptions(TrainerKind.Auto, CrossValidationFolds: 0, CheckLeakage: false, Search: AutoSearchTests.Small,
            Parallelism: new TrainingParallelism(maxDegree, threads));

        var result = await Task.Factory.StartNew(() => TrainingPipeline.Run(Input, options), CancellationToken.None, TaskCreationOptions.None, threads);

        var onThePool = TrainingPipeline.Run(Input, options with { Parallelism = null });
        Assert.Equal(onThePool.Search!.Candidates.Select(c => c.CvMacroF1), result.Search!.Candidates.Select(c => c.CvMacroF1));
        Assert.Equal(onThePool.Trainer, result.Trainer);
        Assert.InRange(threads.PeakBusy, 1, maxDegree);
        Assert.Equal(0, threads.RanOnThePool);
    }

    /// <summary>A scheduler of dedicated threads that counts how many are busy at once.</summary>
    private sealed class CountingThreads : TaskScheduler, IDisposable
    {
        [ThreadStatic] private static CountingThreads? _mine;
        private readonly System.Collections.Concurrent.BlockingCollection<Task> _queue = new();
        private readonly LinkedList<Task> _pending = new();
        private int _busy, _peak, _queued, _onPool;

        public CountingThreads(int count)
        {
            for (var i = 0; i < count; i++)
                new Thread(() =>
                {
                    _mine = this;
                    foreach (var task in _queue.GetConsumingEnumerable())
                    {
                        lock (_pending)
                            if (!_pending.Remove(task))
                                continue; // already inlined by a waiting thread
                        Execute(task);
                    }
                }) { IsBackground = true }.Start();
        }

        public int PeakBusy => _peak;
        public int Queued => _queued;
        public int RanOnThePool => _onPool;

        protected override void QueueTask(Task task)
        {
            Interlocked.Increment(ref _queued);
            lock (_pending)
                _pending.AddLast(task);
            _queue.Add(task);
        }

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        {
            if (_mine != this)
                return false;
            if (taskWasPreviouslyQueued)
                lock (_pending)
                    if (!_pending.Remove(task))
                        return false;
            return TryExecuteTask(task);
        }

        protected override IEnumerable<Task> GetScheduledTasks()
        {
            lock (_pending)
                return _pending.ToArray();
        }

        public void Dispose() => _queue.CompleteAdding();

        private void Execute(Task task)
        {
            var busy = Interlocked.Increment(ref _busy);
            lock (_pending)
                _peak = Math.Max(_peak, busy);
            if (Thread.CurrentThread.IsThreadPoolThread)
                Interlocked.Increment(ref _onPool);
            TryExecuteTask(task);
            Interlocked.Decrement(ref _busy);
        }
    }
}
