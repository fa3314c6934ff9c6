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
        Assert.Equal(["split", "fit", "evaluate", "cross-validate", "leakage", "gate-and-save"], result.Timings.Select(t => t.Step));
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

        Assert.Equal(["split", "fit", "evaluate", "cross-validate", "leakage", "gate-and-save"], seen.Select(s => s.Step));
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
}
