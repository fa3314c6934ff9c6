using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Monitoring;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.IntegrationTests.Training.Preference;

public sealed class PreferenceTrainingServiceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TrainingRequest Request = new(ModelKind: ModelKind.Preference);

    [Fact]
    public async Task RunsWalkTheMilestonesAt99_100_200_300And500RatedVideos()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        var training = db.Get<PreferenceTrainingService>();
        await PreferenceFixtures.SeedExcludedAsync(db, 10_000);

        await PreferenceFixtures.SeedRatedAsync(db, 0, 99);
        var at99 = await training.RunAsync(Request, RunTrigger.Manual);
        Assert.Equal((RunStatus.Completed, 99, PreferenceMilestone.None), (at99.Status, at99.RowCount, at99.Milestone));
        Assert.Equal((null, null), (at99.SnapshotId, at99.VersionTag));
        Assert.Contains("At 100 (1 more)", at99.NextUnlocks);

        await PreferenceFixtures.SeedRatedAsync(db, 99, 1);
        var at100 = await training.RunAsync(Request, RunTrigger.Manual);
        Assert.Equal(PreferenceMilestone.Correlation, at100.Milestone);
        Assert.NotNull(at100.SnapshotId);
        Assert.Null(at100.VersionTag);
        Assert.Contains("script.replicability.score", at100.Result!.Snapshot!.TopPositive.Select(c => c.Feature));
        Assert.Contains("production.shotComplexity", at100.Result.Snapshot.TopNegative.Select(c => c.Feature));

        await PreferenceFixtures.SeedRatedAsync(db, 100, 100);
        var at200 = await training.RunAsync(Request, RunTrigger.Manual);
        Assert.Equal((PreferenceMilestone.FirstModel, RunStatus.Completed, true), (at200.Milestone, at200.Status, at200.Activated));
        Assert.Equal([PreferenceModelKind.Ridge], at200.Result!.Candidates.Select(c => c.Kind));
        Assert.True(at200.Result.Selected!.Test.Mae <= 0.20, $"MAE {at200.Result.Selected.Test.Mae}");
        Assert.Contains(at200.Result.Dimensions, d => d.Dimension == "hook");
        Assert.Empty(at200.Result.PrunedFeatures);

        await PreferenceFixtures.SeedRatedAsync(db, 200, 100);
        var at300 = await training.RunAsync(Request, RunTrigger.Manual);
        Assert.Equal(PreferenceMilestone.Retrain, at300.Milestone);
        Assert.Equal(at200.VersionTag, at300.Result!.Previous!.Version);
        Assert.NotEmpty(at300.Result.PrunedFeatures);
        Assert.DoesNotContain("script.replicability.score", at300.Result.PrunedFeatures);
        Assert.Contains(at300.Reasons, r => r.Contains($"Version {at200.VersionTag} scores MAE"));

        await PreferenceFixtures.SeedRatedAsync(db, 300, 200);
        var at500 = await training.RunAsync(Request, RunTrigger.Manual);
        Assert.Equal(PreferenceMilestone.ModelComparison, at500.Milestone);
        Assert.Null(at500.NextUnlocks);
        var candidates = at500.Result!.Candidates;
        Assert.Equal([PreferenceModelKind.Ridge, PreferenceModelKind.RandomForest], candidates.Select(c => c.Kind));
        Assert.Equal(candidates.MinBy(c => c.Test.Mae)!.Kind, at500.Result.SelectedKind);

        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var snapshots = await ctx.ImportanceSnapshots.OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(["correlation", "firstModel", "retrain", "modelComparison"], snapshots.Select(s => s.Milestone));
        Assert.Equal([100, 200, 300, 500], snapshots.Select(s => s.RowCount));
        Assert.All(snapshots, s => Assert.NotNull(s.TrainingRunId));
        var versions = await ctx.ModelVersions.Where(v => v.Kind == ModelKind.Preference).OrderBy(v => v.Id).ToListAsync();
        Assert.Equal(3, versions.Count);
        Assert.Equal(1, versions.Count(v => v.IsActive));
        Assert.Equal(5, await ctx.TrainingRuns.CountAsync(r => r.Kind == ModelKind.Preference && r.Trigger == RunTrigger.Manual));
    }

    [Fact]
    public async Task AStoredVersionLoadsBackAndItsPredictionsAreLogged()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        var run = await db.Get<PreferenceTrainingService>().RunAsync(Request, RunTrigger.Manual);
        var predictions = db.Get<PreferencePredictionService>();
        var liked = PreferenceFixtures.Analysis(5_000).Json;

        var first = await predictions.PredictAsync(liked);
        var again = await predictions.PredictAsync(JsonDocument.Parse(liked).RootElement);
        await predictions.PredictAsync(PreferenceFixtures.Analysis(5_001).Json, run.VersionTag);
        var written = await db.Get<PredictionLog>().FlushAsync();

        Assert.Equal(run.VersionTag, first.VersionTag);
        Assert.InRange(first.Score, 0, 10);
        Assert.InRange(first.Confidence, 0, 1);
        Assert.Equal(first.Score, again.Score);
        Assert.NotEmpty(first.TopFactors);
        Assert.Contains(first.Dimensions, d => d.Dimension == "hook");
        Assert.Equal(3, written);
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var log = await ctx.PredictionLog.OrderBy(p => p.Id).ToListAsync();
        var versionId = await ctx.ModelVersions.Where(v => v.VersionTag == run.VersionTag).Select(v => v.Id).SingleAsync();
        Assert.All(log, p => Assert.Equal((versionId, ModelKind.Preference), (p.ModelVersionId!.Value, p.Kind)));
        Assert.Equal(InputsHash.Of(AnalysisFlattener.Flatten(liked)), log[0].InputsHash);
        Assert.Equal(log[0].InputsHash, log[1].InputsHash);
        Assert.Equal(first.Score, log[0].Score);
    }

    [Fact]
    public async Task AnAnalysisBelowTheMinimumCoverageIsRefusedAndNotLogged()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        await db.Get<PreferenceTrainingService>().RunAsync(Request, RunTrigger.Manual);
        var predictions = db.Get<PreferencePredictionService>();

        var error = await Assert.ThrowsAsync<InsufficientCoverageException>(() => predictions.PredictAsync("""{"foo":1}"""));

        Assert.Equal((0.0, 0.5), (error.Coverage, error.Minimum));
        Assert.Equal(0, await db.Get<PredictionLog>().FlushAsync());
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log"));
    }

    [Fact]
    public async Task TheVerdictRuleComesFromTheOptionsAndTheRegistryJudgesByIt()
    {
        // An R² floor no model reaches: nothing may be called production ready, whatever its MAE band.
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings(("VerdictMinimumR2", "0.999")));
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);

        var run = await db.Get<PreferenceTrainingService>().RunAsync(Request, RunTrigger.Manual);

        var verdicts = run.Result!.Candidates.Select(c => c.Verdict).Concat(run.Result.Dimensions.Select(d => d.Evaluation.Verdict)).ToList();
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v => Assert.Equal(0.999, v.Rule!.MinimumR2));
        Assert.DoesNotContain(verdicts, v => v.Mae == MaeVerdict.ProductionReady);
        var version = Assert.Single(await db.Get<IPreferenceQueries>().VersionsAsync());
        Assert.NotEqual(MaeVerdict.ProductionReady, version.Assessment!.Mae);
        Assert.Contains("is below 1.00", version.Assessment.Summary); // 0.999 printed with two decimals
    }

    [Fact]
    public async Task TheRatingsExportHoldsExactlyTheTrainingRowsWithTheirSplit()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await PreferenceFixtures.SeedRatedAsync(db, 0, 210);
        var excluded = await PreferenceFixtures.SeedExcludedAsync(db, 10_000);
        var prepared = await db.Get<PreferenceTrainingService>().PrepareAsync();

        using var stream = new MemoryStream();
        await RatingsExport.WriteAsync(stream, prepared);
        var exported = JsonDocument.Parse(stream.ToArray()).RootElement.EnumerateArray().ToList();

        var rows = await db.Get<PreferenceDataQueries>().ReadRowsAsync(new PreferenceRowFilter());
        Assert.Equal(210, exported.Count);
        Assert.Equal(rows.Select(r => r.RatingId), exported.Select(e => e.GetProperty("id").GetInt64()));
        Assert.DoesNotContain(exported, e => excluded.Contains(e.GetProperty("id").GetInt64()));
        Assert.Equal(rows[7].OverallScore, exported[7].GetProperty("overall_score").GetDouble());
        Assert.Equal(JsonDocument.Parse(rows[7].VisualAnalysis).RootElement.GetProperty("script").ToString().Length,
            exported[7].GetProperty("video").GetProperty("visual_analysis").GetProperty("script").ToString().Length);
        var sides = exported.Select(e => e.GetProperty("split").GetString()).ToList();
        Assert.All(sides, s => Assert.Contains(s, new[] { "train", "test" }));
        Assert.Equal(PreferenceTrainingPipeline.Split(prepared.Rows, prepared.Options).Test.Length, sides.Count(s => s == "test"));
        Assert.Equal("training_data_2026-03-04.json", RatingsExport.DefaultFileName(new DateTimeOffset(2026, 3, 4, 23, 0, 0, TimeSpan.Zero)));
    }
}
