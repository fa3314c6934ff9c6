using System.Text.Json;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class AutoSearchTests
{
    private static readonly LabelledDataset Dataset =
        EngagementDataset.Build(SyntheticVideos.Generate(600, 31), FeatureSet.Seed15NoLeak, TierScheme.Views);

    private static float[][] X => Dataset.Rows.Select(r => r.Features).ToArray();
    private static int[] Y => Dataset.Rows.Select(r => r.Label).ToArray();

    // Small enough for a unit test: two folds, two drawn LightGBM settings, short boosting.
    internal static readonly AutoSearchOptions Small = new(Folds: 2, LightGbmSamples: 2, MaxIterations: 60, EarlyStoppingRounds: 10);

    [Fact]
    public void TriesEveryTrainerFormAndRecordsEachCandidatesScoreAndTime()
    {
        var search = AutoSearch.Run(X, Y, new TrainerOptions(), Small, TrainingParallelism.Default);

        // LightGBM's default and its ordinal form, lbfgs, two drawn settings, the best LightGBM unweighted and (unless it is
        // the default, whose ordinal form was tried) ordinal, lbfgs unweighted, the forest.
        var trainers = search.Candidates.Select(c => c.Trainer).ToList();
        Assert.Equal(["lightgbm", "lightgbm-ordinal", "lbfgs", "lightgbm", "lightgbm", "lightgbm"], trainers.Take(6));
        Assert.Equal(["lbfgs", "forest"], trainers.TakeLast(2));
        static IEnumerable<KeyValuePair<string, string>> Settings(AutoCandidate c) => c.Hyperparameters.Where(h => h.Key != "classWeights");
        var bestTreeIsTheDefault = Settings(search.Candidates[5]).SequenceEqual(Settings(search.Candidates[0]));
        Assert.Equal(bestTreeIsTheDefault ? 8 : 9, trainers.Count);
        Assert.Equal("none", search.Candidates[5].Hyperparameters["classWeights"]);
        Assert.Equal(["balanced", "balanced", "balanced", "balanced", "balanced"], search.Candidates.Take(5).Select(c => c.Hyperparameters["classWeights"]));
        Assert.All(search.Candidates, c => Assert.InRange(c.CvMacroF1!.Value, 0.2, 1.0));
        Assert.All(search.Candidates, c => Assert.True(c.Milliseconds > 0));
        Assert.Equal(search.Candidates.Max(c => c.CvMacroF1), search.Best.CvMacroF1);
        // The earliest of equal bests.
        Assert.Equal(search.Candidates.TakeWhile(c => c.CvMacroF1 != search.Best.CvMacroF1).Count(), search.Chosen);
        Assert.False(search.StoppedByBudget);
        Assert.Equal((2, Dataset.Rows.Count, (int?)null), (search.Folds, search.Rows, search.SampledFrom));
    }

    [Fact]
    public void GivesTheSameCandidatesScoresAndChoiceForTheSameRowsAndSeed()
    {
        var first = AutoSearch.Run(X, Y, new TrainerOptions(Seed: 7), Small);
        var second = AutoSearch.Run(X, Y, new TrainerOptions(Seed: 7), Small);

        Assert.Equal(first.Chosen, second.Chosen);
        Assert.Equal(
            first.Candidates.Select(c => (c.Trainer, string.Join(";", c.Hyperparameters), c.CvMacroF1, c.CvKappa)),
            second.Candidates.Select(c => (c.Trainer, string.Join(";", c.Hyperparameters), c.CvMacroF1, c.CvKappa)));
    }

    [Fact]
    public void DrawsItsLightGbmSettingsFromTheSeed()
    {
        static IEnumerable<string> Drawn(int seed) => AutoSearch.Candidates(new AutoSearchOptions(LightGbmSamples: 4), new TrainerOptions(Seed: seed))
            .Skip(3).Select(o => $"{o.LightGbmLeaves}/{o.LightGbmLearningRate}/{o.LightGbmMinDataPerLeaf}");

        Assert.Equal(Drawn(1), Drawn(1));
        Assert.Equal(4, Drawn(1).Distinct().Count());
        Assert.NotEqual(Drawn(1), Drawn(2));
    }

    [Fact]
    public void WhenTheBudgetRunsOutItKeepsTheBestScoredSoFarAndTriesNoMore()
    {
        using var budget = new CancellationTokenSource();
        var scored = 0;

        // The budget "runs out" once two candidates are scored: no clock, so the test does not depend on speed.
        var search = AutoSearch.Run(X, Y, new TrainerOptions(), Small, budget: budget.Token, progress: _ => { if (++scored == 2) budget.Cancel(); });

        Assert.Equal(2, search.Candidates.Count);
        Assert.True(search.StoppedByBudget);
        Assert.Equal(search.Candidates.Max(c => c.CvMacroF1), search.Best.CvMacroF1);
    }

    [Fact]
    public void ABudgetOverBeforeAnyCandidateKeepsLightGbmsDefaultUnscored()
    {
        var search = AutoSearch.Run(X, Y, new TrainerOptions(), Small, budget: new CancellationToken(canceled: true));

        var only = Assert.Single(search.Candidates);
        Assert.Equal(("lightgbm", "31", (double?)null), (only.Trainer, only.Hyperparameters["numLeaves"], only.CvMacroF1));
        Assert.True(search.StoppedByBudget);
    }

    [Fact]
    public void ScoresOnAStratifiedSampleAboveItsRowLimit()
    {
        using var budget = new CancellationTokenSource();

        var search = AutoSearch.Run(X, Y, new TrainerOptions(), Small with { MaxRows = 300 }, budget: budget.Token, progress: _ => budget.Cancel());

        Assert.Equal((300, (int?)600), (search.Rows, search.SampledFrom));
    }

    [Fact]
    public void ThePipelineFitsTheWinnerOnTheTrainingRowsAndStoresTheSearchWithTheResult()
    {
        var input = new TrainingInput(Dataset.Rows, FeatureSet.Seed15NoLeak, TierScheme.Views, Dataset.Thresholds);
        var options = new TrainingOptions(TrainerKind.Auto, CrossValidationFolds: 2, CheckLeakage: false, Search: Small);

        var result = TrainingPipeline.Run(input, options);

        var search = result.Search!;
        Assert.Equal(search.Best.Trainer, result.Trainer.Wire());
        Assert.Equal(result.Trainer, result.Model!.Kind);
        Assert.Equal(TrainerKind.Auto, result.Requested);
        Assert.Contains("search", result.Timings.Select(t => t.Step));
        // Scored on the 480 training rows only: the test rows judge the winner unseen.
        Assert.Equal(480, search.Rows);
        var stored = JsonSerializer.Deserialize<AutoSearchSummary>(JsonSerializer.Serialize(search))!;
        Assert.Equal(search.Candidates.Select(c => (c.Trainer, c.CvMacroF1)), stored.Candidates.Select(c => (c.Trainer, c.CvMacroF1)));
        Assert.Equal(search.Chosen, stored.Chosen);
        Assert.Equal(result.Trainer, TierModel.FromBytes(result.ModelBytes, result.Trainer).Kind);
    }
}
