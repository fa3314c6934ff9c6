using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class GrowthRuleTests
{
    private static readonly TierThresholds Thresholds = new("views", TierMeasure.Views, [0.2, 0.4, 0.6, 0.8], [100, 200, 300, 400]);

    private static Observation Seen(double measure, double hours, double matured) => new(measure, hours, DateTimeOffset.UnixEpoch, matured);

    [Fact]
    public void PredictsViewsAtObservationTimesTheMedianGrowthOfItsAgeBucket()
    {
        // Under 6 h: ratios 2, 4 and 10 (median 4); 6–24 h: 3; no rows older: the overall median of 2, 3, 4, 10 = 3.5.
        var rule = GrowthRule.Fit([Seen(10, 1, 20), Seen(10, 2, 40), Seen(10, 5, 100), Seen(100, 12, 300)], Thresholds);

        Assert.Equal([4, 3, 3.5, 3.5, 3.5], rule.Ratios);
        Assert.Equal((120, 2), (rule.PredictMeasure(30, 2), rule.PredictTier(30, 2)));
        Assert.Equal((90, 1), (rule.PredictMeasure(30, 10), rule.PredictTier(30, 10)));
        Assert.Equal((105, 2), (rule.PredictMeasure(30, 50), rule.PredictTier(30, 50)));
        Assert.Equal(5, rule.PredictTier(200, 500));
    }

    [Fact]
    public void ScoresTheTestRowsByTheRuleFittedOnTheTrainingRows()
    {
        var train = new[] { Seen(10, 1, 40), Seen(10, 1, 40), Seen(50, 30, 100) };
        // Predicted: 20×4 = 80 → 1 (right); 60×4 = 240 → 3 (actual 4); 150×2 = 300 → 3 (right).
        var test = new[] { (Seen(20, 3, 0), 1), (Seen(60, 4, 0), 4), (Seen(150, 30, 0), 3) };

        var metrics = GrowthRule.Evaluate(train, test, Thresholds);

        Assert.Equal(2.0 / 3, metrics.Accuracy, 10);
        var byHand = Metrics.Evaluate([1, 4, 3], [1, 3, 3]);
        Assert.Equal((byHand.MacroF1, byHand.QuadraticWeightedKappa), (metrics.MacroF1, metrics.QuadraticWeightedKappa));
    }

    [Fact]
    public void AVideoWithoutViewsAtObservationGrowsFromOne()
    {
        var rule = GrowthRule.Fit([Seen(0, 1, 150)], Thresholds);

        Assert.Equal(150, rule.Ratios[0]);
        Assert.Equal(0, rule.PredictMeasure(0, 1));
    }
}

public class GrowthTrainerTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static PointInTimeDataset Histories()
    {
        var random = new Random(11);
        var histories = Enumerable.Range(0, 200).Select(i =>
        {
            var posted = Start.AddHours(i * 2);
            var age = 1 + random.NextDouble() * 60;
            var early = (long)Math.Exp(4 + random.NextDouble() * 7);
            var matured = (long)(early * (1.5 + random.NextDouble() * 8));
            var video = new ViralityDashboard.Core.Videos.ScrapedVideoRecord { VideoId = $"v{i}", CreatedAt = posted, Views = matured };
            return new VideoHistory(video, [new ScrapeCounts(posted.AddHours(age), early, early / 10, 0, 0, null), new ScrapeCounts(posted.AddDays(8), matured, matured / 10, 0, 0, null)]);
        });
        return PointInTimeRows.Build(histories, FeatureSet.Early, TierScheme.Views, new PointInTimeOptions());
    }

    private static readonly TrainingOptions Growth = new(Trainer: TrainerKind.Growth, Split: SplitKind.Time, CheckLeakage: false);

    [Fact]
    public void AGrowthRunServesTheGrowthRuleItself()
    {
        var pit = Histories();

        var result = TrainingPipeline.Run(new TrainingInput(pit.Rows, FeatureSet.Early, TierScheme.Views, pit.Thresholds, pit.Served, pit.Report), Growth);

        Assert.Equal(TrainerKind.Growth, result.Trainer);
        // The model read the views and the age back from the features: the same tiers as the baseline on the same videos.
        Assert.Equal((result.GrowthBaseline!.Accuracy, result.GrowthBaseline.MacroF1), (result.Test.Accuracy, result.Test.MacroF1));
        Assert.Equal(5, result.CrossValidation!.Folds);
        Assert.DoesNotContain(result.Gate.Reasons, r => r.Contains("growth baseline")); // it is the baseline
        var loaded = TierModel.FromBytes(result.ModelBytes, TrainerKind.Growth);
        Assert.All(pit.Rows, r => Assert.Equal(result.Model!.PredictTier(r.Features), loaded.PredictTier(r.Features)));
        Assert.Equal(GrowthModel.Confidence, loaded.PredictProbabilities(pit.Rows[0].Features).Max());
        Assert.Throws<InvalidDataException>(() => TierModel.FromBytes(result.ModelBytes, TrainerKind.Lbfgs));
    }

    [Fact]
    public void AGrowthVersionPredictsWithoutFactorsAndSaysWhy()
    {
        var pit = Histories();
        var model = TrainingPipeline.Run(new TrainingInput(pit.Rows, FeatureSet.Early, TierScheme.Views, pit.Thresholds, pit.Served, pit.Report),
            Growth with { CrossValidationFolds = 0 }).Model!;

        var prediction = TierPredictor.Predict(model, FeatureSet.Early, pit.Rows[0].Features);

        Assert.Empty(prediction.Contributions);
        Assert.Contains("growth rule", prediction.NoExplanationReason);
    }

    [Fact]
    public void TheGrowthTrainerRefusesASetWithoutViewsAndAgeOrRowsWithoutObservations()
    {
        var pit = Histories();

        var noAge = Assert.Throws<ArgumentException>(() => GrowthModel.Fit(FeatureSet.Seed15, pit.Rows.Select(r => r.Seen!.Value), pit.Thresholds));
        var noRows = Assert.Throws<ArgumentException>(() => GrowthModel.Fit(FeatureSet.Early, [], pit.Thresholds));

        Assert.Contains("feature set 'seed15' has no logViews and logAgeHours (use early)", noAge.Message);
        Assert.Contains("--rows point-in-time", noRows.Message);
        Assert.Contains("view tiers", GrowthModel.Unservable(FeatureSet.Early, TierMeasure.Wes));
    }
}
