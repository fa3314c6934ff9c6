using System.Text.Json;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

/// <summary>Runs shared by the tests: one pipeline run each at 200, 300 and 500 demo rows.</summary>
public sealed class PreferenceRunsFixture
{
    public PreferenceTrainingResult At200 { get; } = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(200));
    public PreferenceTrainingResult At300 { get; } = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(300));
    public PreferenceTrainingResult At500 { get; } = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(500));
}

public class PreferenceTrainingPipelineTests(PreferenceRunsFixture runs) : IClassFixture<PreferenceRunsFixture>
{
    [Fact]
    public void At99RowsNothingIsAnalysed()
    {
        var result = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(99));

        Assert.Equal(PreferenceMilestone.None, result.Plan.Milestone);
        Assert.Null(result.Snapshot);
        Assert.Empty(result.ModelBytes);
    }

    [Fact]
    public void At100RowsCorrelationRunsButNoModelIsTrained()
    {
        var result = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(100));

        Assert.Equal(PreferenceMilestone.Correlation, result.Plan.Milestone);
        Assert.NotNull(result.Snapshot);
        Assert.Equal(20, result.Snapshot.TopPositive.Count);
        Assert.Equal(20, result.Snapshot.TopNegative.Count);
        Assert.Empty(result.Candidates);
        Assert.Null(result.Model);
    }

    // At 200 rows twelve of the thirteen reach medium or high; audio.soundEffects_count (the weakest
    // term) is low there (r ≈ −0.21) and medium from 300 rows on.
    [Theory]
    [InlineData(300)]
    [InlineData(500)]
    public void CorrelationFindsEveryDemoTasteFeatureWithItsSignAtMediumOrHigh(int rows)
    {
        var snapshot = Run(rows).Snapshot!;

        Assert.All(DemoRatingModel.OverallTerms, term =>
        {
            var c = snapshot.Expected.SingleOrDefault(e => e.Feature == term.Feature)
                ?? throw new Xunit.Sdk.XunitException($"{term.Feature} is not among the expectations.");
            Assert.Equal(Math.Sign(term.Weight), Math.Sign(c.R!.Value));
            Assert.True(c.Level >= Significance.Medium, $"{term.Feature}: r = {c.R:0.000}, p = {c.PValue:0.0000}, {c.Level}.");
        });
    }

    [Theory]
    [InlineData(200)]
    [InlineData(300)]
    [InlineData(500)]
    public void RidgeReachesTheAcceptableMaeAndBeatsTheMeanBaseline(int rows)
    {
        var ridge = Run(rows).Candidates.Single(c => c.Kind == PreferenceModelKind.Ridge);

        Assert.True(ridge.Test.Mae < ModelVerdict.AcceptableMae, $"Ridge test MAE {ridge.Test.Mae:0.000}.");
        Assert.True(ridge.Test.Mae < ridge.MeanBaseline.Mae, $"Ridge {ridge.Test.Mae:0.000} vs baseline {ridge.MeanBaseline.Mae:0.000}.");
        Assert.True(ridge.CrossValidation!.MaeMean < ModelVerdict.AcceptableMae, $"CV MAE {ridge.CrossValidation.MaeMean:0.000}.");
    }

    [Fact]
    public void At200RowsOnlyRidgeIsTrainedOnAllColumns()
    {
        var result = runs.At200;

        Assert.Equal([PreferenceModelKind.Ridge], result.Candidates.Select(c => c.Kind));
        Assert.Empty(result.PrunedFeatures);
        Assert.Equal(result.Typing!.Columns, result.Normalization!.Columns.Count);
        Assert.True(result.Gate!.Accepted, string.Join(" ", result.Gate.Reasons));
        // In points of the 0–10 scale, as the metrics shown beside the gate.
        Assert.Contains($"Test MAE {ModelVerdict.Points(result.Selected!.Test.Mae)} is within the 2.00 limit.", result.Gate.Reasons);
    }

    [Fact]
    public void At300RowsWeakFeaturesArePrunedAndDimensionModelsAreTrained()
    {
        var result = runs.At300;

        Assert.NotEmpty(result.PrunedFeatures);
        Assert.Equal(result.Typing!.Columns - result.PrunedFeatures.Count, result.Normalization!.Columns.Count);
        Assert.Equal(RatingDimensions.Names, result.Dimensions.Select(d => d.Dimension));
        Assert.All(result.Dimensions, d => Assert.True(d.Evaluation.Test.Mae < d.Evaluation.MeanBaseline.Mae, $"{d.Dimension}: {d.Evaluation.Test.Mae:0.000} vs {d.Evaluation.MeanBaseline.Mae:0.000}."));
    }

    [Fact]
    public void At500RowsRidgeAndForestAreComparedAndTheLowerCrossValidatedMaeIsKept()
    {
        var result = runs.At500;

        Assert.Equal([PreferenceModelKind.Ridge, PreferenceModelKind.RandomForest], result.Candidates.Select(c => c.Kind));
        var best = result.Candidates.MinBy(c => c.CrossValidation!.MaeMean)!;
        Assert.Equal(best.Kind, result.SelectedKind);
        Assert.Equal(best.Kind, result.Model!.Kind);
    }

    [Fact]
    public void ComparesWithThePreviousVersionOnTheSameTestRows()
    {
        var previous = runs.At200;
        var version = new PreviousPreferenceVersion("v1.0", previous.Normalization!, PreferenceModel.FromBytes(previous.ModelBytes, previous.SelectedKind!.Value));

        var result = PreferenceTrainingPipeline.Run(PreferenceDemoData.Rows(300), previous: version);

        Assert.True(result.Plan.CompareWithPrevious);
        Assert.Equal(result.TestCount, result.Previous!.TestRowCount);
        Assert.Equal(result.Selected!.Test.Mae, result.Previous.CandidateMae);
        Assert.Contains(result.Gate!.Reasons, r => r.Contains("v1.0", StringComparison.Ordinal));
    }

    [Fact]
    public void TheResultIsIndependentOfRowOrderAndSerializesWithoutModelBytes()
    {
        var rows = PreferenceDemoData.Rows(200);

        var reversed = PreferenceTrainingPipeline.Run(rows.Reverse().ToArray());

        var json = JsonSerializer.Serialize(reversed);
        Assert.Equal(JsonSerializer.Serialize(runs.At200), json);
        Assert.Equal(runs.At200.ModelBytes, reversed.ModelBytes);
        Assert.DoesNotContain("ModelBytes", json, StringComparison.Ordinal);
        Assert.NotNull(JsonSerializer.Deserialize<PreferenceTrainingResult>(json));
    }

    [Fact]
    public void PredictsADemoAnalysisWithTheStoredConfigurationAndModel()
    {
        var result = runs.At300;
        var model = PreferenceModel.FromBytes(result.ModelBytes, result.SelectedKind!.Value);
        var config = NormalizationConfig.FromJson(result.Normalization!.ToJson());
        var row = PreferenceDemoData.Rows(300)[^1];

        var prediction = PreferencePredictor.Predict(config, model, result.Selected!.Test.R2, row.Features);

        Assert.InRange(prediction.Score, 0, 10);
        Assert.Equal(1.0, prediction.Coverage);
        Assert.Equal(PreferencePredictor.Confidence(1.0, result.Selected.Test.R2), prediction.Confidence);
        Assert.InRange(prediction.TopFactors.Count, 1, 10);
        Assert.All(prediction.TopFactors, f => Assert.True(Math.Abs(f.Contribution) > 0.02));
    }

    private PreferenceTrainingResult Run(int rows) => rows switch
    {
        200 => runs.At200,
        300 => runs.At300,
        500 => runs.At500,
        _ => throw new ArgumentOutOfRangeException(nameof(rows)),
    };
}
