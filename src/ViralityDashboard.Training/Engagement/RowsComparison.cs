using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Monitoring;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Engagement;

/// <summary>One design's figures in <see cref="RowsComparison"/>: on its own test rows, and on the test videos as served.</summary>
public sealed record DesignFigures(TrainingRowsMode Rows, string Trainer, ClassificationMetrics Test, ClassificationMetrics? Served);

/// <summary>Both designs on the same matured videos and the same held-out videos, with the growth baseline on them.</summary>
public sealed record RowsComparisonResult(
    string FeatureSet, int Videos, int TrainVideos, int TestVideos, int MatureAfterDays, DesignFigures Latest, DesignFigures PointInTime,
    ClassificationMetrics? Growth, RowsReport Report);

/// <summary>
/// <c>compare-rows</c>: trains a <c>latest</c> and a <c>point-in-time</c> model on the same matured videos, holding out the
/// same latest-first-seen videos, and scores both as they will be served (features as first seen, tier as matured). For
/// these videos the latest snapshot is the matured one, so both designs learn the same tiers; they differ only in which
/// counts the features come from. Stores nothing.
/// </summary>
public sealed class RowsComparison(
    TrainingDataQueries data, TrainingThreads threads, IOptions<EngagementTrainingOptions> options, IOptions<MonitoringOptions> monitoring)
{
    public async Task<RowsComparisonResult> CompareAsync(FeatureSet? featureSet = null, TrainerKind? trainer = null, CancellationToken ct = default)
    {
        var o = options.Value;
        var set = featureSet ?? o.DefaultFeatureSet;
        var days = monitoring.Value.MatureAfterDays;
        var counts = await data.CountHistoriesAsync(days, ct);
        return await threads.Run(() =>
        {
            var histories = data.ReadMaturedHistories(o.MaxVideos, days, ct);
            var pit = PointInTimeRows.Build(histories, set, TierScheme.Views, new PointInTimeOptions(days), o.WesWeights,
                skippedNotMatured: counts.NotMatured, skippedNoEarlier: counts.NoEarlierSnapshot);
            if (pit.Report.Videos < EngagementTrainingService.MinimumPointInTimeRows)
                throw new InvalidOperationException($"Comparing needs at least {EngagementTrainingService.MinimumPointInTimeRows} videos with a matured history "
                    + $"(a snapshot {days} days after posting and an earlier one); {pit.Report.Videos} have one. Import scrape histories first.");
            // The same videos at their latest (= matured) counts, carrying the same observation so the split is the same.
            var byId = histories.ToDictionary(h => h.Video.VideoId, StringComparer.Ordinal);
            var latestRows = pit.Rows.Select(r =>
            {
                var h = byId[r.Id];
                var latest = PointInTimeRows.At(h.Video, h.Scrapes[^1], h.Scrapes[0].At);
                return r with { Features = FeatureExtractor.Extract(latest, set) };
            }).ToArray();
            // A run's options, without the cross-validation and leakage checks this table does not show.
            var pipeline = EngagementTrainingService.PipelineOptionsFor(o, set, trainer ?? o.DefaultTrainer, SplitKind.Time)
                with { CrossValidationFolds = 0, CheckLeakage = false, Parallelism = threads.Parallelism };
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(o.AutoSearchSeconds));
            var pointInTime = TrainingPipeline.Run(new TrainingInput(pit.Rows, set, TierScheme.Views, pit.Thresholds, pit.Served, pit.Report), pipeline, searchBudget: budget.Token);
            using var budget2 = new CancellationTokenSource(TimeSpan.FromSeconds(o.AutoSearchSeconds));
            var latest = TrainingPipeline.Run(new TrainingInput(latestRows, set, TierScheme.Views, pit.Thresholds, pit.Served,
                pit.Report with { Mode = TrainingRowsMode.Latest }), pipeline, searchBudget: budget2.Token);
            return new RowsComparisonResult(set.Name, pit.Report.Videos, pointInTime.TrainCount, pointInTime.TestCount, days,
                Figures(TrainingRowsMode.Latest, latest), Figures(TrainingRowsMode.PointInTime, pointInTime), pointInTime.GrowthBaseline, pit.Report);
        });
    }

    private static DesignFigures Figures(TrainingRowsMode rows, TrainingResult r) => new(rows, r.Trainer.Wire(), r.Test, r.Served?.Metrics);
}
