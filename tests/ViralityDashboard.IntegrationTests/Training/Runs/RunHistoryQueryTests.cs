using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

/// <summary>
/// The run history reads a handful of columns and JSON values in SQL instead of whole runs. Each row must say what the
/// run's own detail (read from the whole stored run) says.
/// </summary>
public sealed class RunHistoryQueryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task EachRowSaysWhatTheRunsDetailSaysNewestFirstAndOfTheKindAskedFor()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 600);
        var training = db.Get<EngagementTrainingService>();
        var trained = await training.RunAsync(new TrainingRequest(), RunTrigger.Manual);
        var searched = await InsertAsync(db, ModelKind.Engagement, RunStatus.Completed,
            """{"trainer": "lightGbm", "featureSet": "seed15", "test": {"accuracy": 0.61, "macroF1": 0.57}, "search": {"chosen": 1}}""",
            """{"request": {"trainer": "auto"}}""");
        var failed = await InsertAsync(db, ModelKind.Engagement, RunStatus.Failed, null,
            """{"request": {"trainer": "forest", "featureSet": "prePosting"}}""", error: "out of memory");
        var preference = await InsertAsync(db, ModelKind.Preference, RunStatus.Completed, """{"test": {"mae": 0.12, "r2": 0.4}}""", "{}");
        var queries = db.Get<ITrainingQueries>();

        var all = await queries.RecentRunsAsync(10);
        var engagement = await queries.RecentRunsAsync(10, ModelKind.Engagement);
        var latestTwo = await queries.RecentRunsAsync(2, ModelKind.Engagement);

        Assert.Equal([preference, failed, searched, trained.RunId], all.Select(r => r.Id));
        Assert.Equal([failed, searched, trained.RunId], engagement.Select(r => r.Id));
        Assert.Equal([failed, searched], latestTwo.Select(r => r.Id));
        foreach (var row in all)
        {
            var detail = (await queries.RunAsync(row.Id))!.Run;
            Assert.Equal(
                (detail.Kind, detail.Trigger, detail.Status, detail.StartedAt, detail.FinishedAt, detail.VideoCount, detail.GateDecision, detail.Accuracy,
                    detail.MacroF1, detail.VersionTag, detail.Trainer, detail.FeatureSet, detail.Error),
                (row.Kind, row.Trigger, row.Status, row.StartedAt, row.FinishedAt, row.VideoCount, row.GateDecision, row.Accuracy,
                    row.MacroF1, row.VersionTag, row.Trainer, row.FeatureSet, row.Error));
            Assert.Equal(detail.GateReasons, row.GateReasons);
            Assert.Equal(detail.Steps?.Select(s => s.Step), row.Steps?.Select(s => s.Step));
        }
        var trainedRow = all.Single(r => r.Id == trained.RunId);
        Assert.Equal((trained.VersionTag, "lbfgs"), (trainedRow.VersionTag, trainedRow.Trainer));
        Assert.NotNull(trainedRow.Accuracy);
        Assert.NotEmpty(trainedRow.Steps!);
        Assert.Equal(("auto → lightgbm", "seed15", 0.61), (all[2].Trainer, all[2].FeatureSet, all[2].Accuracy));
        Assert.Equal(("forest", "prePosting", (double?)null), (all[1].Trainer, all[1].FeatureSet, all[1].Accuracy));
        Assert.Equal(((string?)null, (double?)null), (all[0].Trainer, all[0].Accuracy));
    }

    [Fact]
    public async Task APageHoldsItsRunsNewestFirstAndTheTotalOfItsKind()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var ids = new List<long>();
        for (var i = 0; i < 23; i++)
            ids.Add(await InsertAsync(db, ModelKind.Engagement, RunStatus.Completed, """{"test": {"accuracy": 0.6, "macroF1": 0.5}}""", "{}"));
        await InsertAsync(db, ModelKind.Preference, RunStatus.Completed, """{"test": {"mae": 0.12}}""", "{}");
        var queries = db.Get<ITrainingQueries>();
        ids.Reverse();

        var second = await queries.RunPageAsync(ModelKind.Engagement, 10, 10);
        var last = await queries.RunPageAsync(ModelKind.Engagement, 20, 10);
        var pastTheEnd = await queries.RunPageAsync(ModelKind.Engagement, 30, 10);

        Assert.Equal(ids[10..20], second.Rows.Select(r => r.Id));
        Assert.Equal(ids[20..], last.Rows.Select(r => r.Id));
        Assert.Empty(pastTheEnd.Rows);
        Assert.Equal([23, 23, 23], [second.Total, last.Total, pastTheEnd.Total]);
        Assert.Equal(1, (await queries.RunPageAsync(ModelKind.Preference, 0, 10)).Total);
    }

    [Fact]
    public async Task NoRunsIsAnEmptyHistory()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        Assert.Empty(await db.Get<ITrainingQueries>().RecentRunsAsync(50, ModelKind.Engagement));
        var page = await db.Get<ITrainingQueries>().RunPageAsync(ModelKind.Engagement, 0, 10);
        Assert.Equal((0, 0), (page.Rows.Count, page.Total));
    }

    [Fact]
    public async Task RegistryRowsCarryTheServedAccuracyStoredWithAVersionAndNoneForVersionsStoredBefore()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        static ClassificationMetrics Figures(double accuracy) => new(200, accuracy, accuracy - 0.02, 0.8, 0.9, 1.1, [], []);
        var served = new EngagementVersionMetrics(Figures(0.71), 0.74, Figures(0.2), null, new GateDecision(true, []), null)
        {
            Served = new ServedAccuracy(Figures(0.66), 180),
            GrowthBaseline = Figures(0.6),
            Rows = new RowsReport(TrainingRowsMode.PointInTime, 900, 900, 40, 12, 3, 20, 96),
        };
        var before = new EngagementVersionMetrics(Figures(0.68), 0.74, Figures(0.2), null, new GateDecision(true, []), null);
        await StoreVersionAsync(db, "eng-before", TrainingJson.Serialize(before), DateTimeOffset.UtcNow.AddDays(-1));
        await StoreVersionAsync(db, "eng-served", TrainingJson.Serialize(served), DateTimeOffset.UtcNow);
        var queries = db.Get<ITrainingQueries>();

        var rows = await queries.VersionsAsync();

        Assert.Equal([("eng-served", 0.71, 0.66), ("eng-before", 0.68, (double?)null)], rows.Select(r => (r.Tag, r.Accuracy!.Value, r.ServedAccuracy)));
        Assert.Equal(0.66, (await queries.VersionAsync("eng-served"))!.Version.ServedAccuracy);
    }

    private static Task StoreVersionAsync(TestDatabase db, string tag, string metrics, DateTimeOffset trainedAt) =>
        db.Get<ModelRegistryStore>().StoreAsync(new ModelVersion
        {
            VersionTag = tag, Kind = ModelKind.Engagement, Status = VersionStatus.Inactive, TrainedAt = trainedAt, FeatureSet = "early", Trainer = "lbfgs",
            Metrics = metrics,
        }, activate: false, "test", "stored");

    private static async Task<long> InsertAsync(TestDatabase db, ModelKind kind, RunStatus status, string? metrics, string options, string? error = null)
    {
        await using var context = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var row = new TrainingRun
        {
            Kind = kind,
            Trigger = RunTrigger.Manual,
            Status = status,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            FinishedAt = DateTimeOffset.UtcNow,
            VideoCount = 600,
            Metrics = metrics,
            Options = options,
            Error = error,
            GateReasons = error is null ? ["a reason"] : [],
        };
        context.TrainingRuns.Add(row);
        await context.SaveChangesAsync();
        return row.Id;
    }
}
