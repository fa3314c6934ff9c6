using ViralityDashboard.Core.Ml;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Runs;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Registry;

namespace ViralityDashboard.IntegrationTests.Training.Engagement;

public sealed class EngagementTrainingServiceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task ARunStoresAnActiveVersionAndACompletedRunRow()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);

        var outcome = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.False(outcome.UsedFallbackData);
        Assert.Equal(800, outcome.VideoCount);
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var run = await ctx.TrainingRuns.SingleAsync();
        var version = await ctx.ModelVersions.SingleAsync();
        Assert.Equal((RunStatus.Completed, RunTrigger.Manual, (GateVerdict?)GateVerdict.Accepted, version.Id), (run.Status, run.Trigger, run.GateDecision, run.ModelVersionId));
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("\"scheme\": \"views\"", run.Thresholds);
        Assert.NotNull(run.TierDistribution);
        Assert.Contains("\"fit\"", run.Timings);
        Assert.Equal((true, VersionStatus.Active, outcome.VersionTag, run.Id), (version.IsActive, version.Status, version.VersionTag, version.TrainingRunId));
        Assert.NotEmpty(version.Artifact);
        Assert.Contains("weights", version.FeatureWeights);
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_activations WHERE action = 'activate' AND changed_by = 'training:manual'"));
    }

    [Fact]
    public async Task ThresholdsComeFromTheSqlPercentilesOfTheRunsRows()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 700);

        var prepared = await db.Get<EngagementTrainingService>().PrepareAsync(new TrainingRequest(TierScheme: TierScheme.Wes));
        var sql = await db.Get<ViralityDashboard.Data.Queries.CalibrationQueries>().ComputeAsync(WesWeights.Default, 10_000);

        Assert.Equal(sql.ThresholdsFor(TierScheme.Wes).Values, prepared.Thresholds!.Values);
        Assert.Equal([0.25, 0.50, 0.75, 0.90], prepared.Thresholds.Percentiles);
        Assert.Equal(700, prepared.Rows.Count);
    }

    [Fact]
    public async Task PreparedRowsAndSplitAreExactlyWhatTheRunTrainsAndTestsOn()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 650);
        var request = new TrainingRequest(Split: SplitKind.Hash);
        var training = db.Get<EngagementTrainingService>();

        var prepared = await training.PrepareAsync(request);
        var split = prepared.Split();
        var outcome = await training.RunAsync(request, RunTrigger.Manual);

        var result = outcome.Result!;
        Assert.Equal((prepared.Rows.Count, split.Train.Length, split.Test.Length), (result.RowCount, result.TrainCount, result.TestCount));
        Assert.Equal(TierThresholds.Distribution(split.Test.Select(i => prepared.Rows[i].Label)), result.TestTierDistribution);
        Assert.Equal(prepared.Thresholds!.Values, result.Thresholds!.Values);
    }

    [Fact]
    public async Task ARunBelowTheGateIsSkippedStoredRejectedWithReasonsAndLeavesTheActiveVersion()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var first = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Schedule);
        Assert.Equal(RunStatus.Completed, first.Status);
        await using var strict = postgres.Attach(db, TrainingFixtures.Settings(gate: 0.99));

        var second = await strict.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);

        Assert.Equal(RunStatus.SkippedByGate, second.Status);
        Assert.False(second.Activated);
        Assert.Contains(second.Reasons, r => r.Contains("below the 99.0% gate"));
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var rejected = await ctx.ModelVersions.SingleAsync(v => v.VersionTag == second.VersionTag);
        Assert.Equal((VersionStatus.Rejected, false), (rejected.Status, rejected.IsActive));
        Assert.Contains("below the 99.0% gate", rejected.Notes);
        var active = await ctx.ModelVersions.SingleAsync(v => v.IsActive);
        Assert.Equal(first.VersionTag, active.VersionTag);
        var run = await ctx.TrainingRuns.SingleAsync(r => r.Id == second.RunId);
        Assert.Equal((RunStatus.SkippedByGate, (GateVerdict?)GateVerdict.Rejected), (run.Status, run.GateDecision));
        Assert.Contains(run.GateReasons, r => r.Contains("below the 99.0% gate"));
        // The gate compared with the active version on the same test rows.
        Assert.Contains(run.GateReasons, r => r.Contains($"active version {first.VersionTag}"));
    }

    [Fact]
    public async Task FewerThanFiveHundredVideosTrainOnTheBundledFallbackSetAndSaySo()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);

        var outcome = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);

        Assert.True(outcome.UsedFallbackData);
        Assert.Equal(FallbackTrainingSet.Generate().ToRows().Count, outcome.VideoCount);
        Assert.Contains(outcome.Warnings, w => w.Contains("bundled fallback set"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM training_runs WHERE used_fallback_data"));
    }

    [Fact]
    public async Task ALaunchWhileAnotherRunHoldsTheTrainingLockIsRefusedWithoutFitting()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        // Stands in for a run in progress in another process.
        await using var other = new NpgsqlConnection(db.ConnectionString);
        await other.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT pg_advisory_lock({TrainingLock.Key})", other))
            await cmd.ExecuteNonQueryAsync();

        var outcome = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);

        Assert.Equal((RunStatus.Failed, EngagementTrainingService.LockHeldMessage), (outcome.Status, outcome.Error));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM model_versions"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM training_runs WHERE status = 'failed'"));
    }

    [Fact]
    public async Task ThePredictionServicePicksUpAVersionActivatedByAnotherProcess()
    {
        var settings = TrainingFixtures.Settings();
        settings["Virality:Training:ActiveModelRecheckSeconds"] = "0";
        await using var db = await postgres.CreateDatabaseAsync(settings);
        await TrainingFixtures.SeedAsync(db, 800);
        var training = db.Get<EngagementTrainingService>();
        var first = await training.RunAsync(new TrainingRequest(), RunTrigger.Manual);
        var second = await training.RunAsync(new TrainingRequest(Trainer: TrainerKind.LightGbm), RunTrigger.Manual);
        var video = SyntheticVideos.Generate(1, 99).Single();
        var prediction = db.Get<PredictionService>();
        Assert.Equal(second.VersionTag, (await prediction.PredictAsync(video)).VersionTag);

        await using var otherProcess = postgres.Attach(db, settings);
        await otherProcess.Get<ModelRegistry>().ActivateAsync(first.VersionTag!, "other", "test");

        var after = await prediction.PredictAsync(video);
        Assert.Equal(first.VersionTag, after.VersionTag);
        Assert.Equal(5, after.Probabilities.Count);
        Assert.InRange(after.Score, 0, 100);
        Assert.NotEmpty(after.Contributions);
    }

    [Fact]
    public async Task APrePostingRunPassesItsOwnMacroF1GateAndIsActiveBesideTheSeed15Version()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var training = db.Get<EngagementTrainingService>();
        var prediction = db.Get<PredictionService>();
        var video = SyntheticVideos.Generate(1, 99).Single();
        var seed15 = await training.RunAsync(new TrainingRequest(), RunTrigger.Manual);

        var none = await Assert.ThrowsAsync<ModelRegistryException>(() => prediction.PredictAsync(video, null, FeatureSet.PrePostingName));
        var prePosting = await training.RunAsync(new TrainingRequest(FeatureSet.PrePosting), RunTrigger.Manual);

        Assert.Contains("No active pre-posting model", none.Message);
        Assert.Equal((RunStatus.Completed, true), (prePosting.Status, prePosting.Activated));
        var result = prePosting.Result!;
        Assert.Contains(prePosting.Reasons, r => r.Contains("beats the stratified-random baseline") && r.Contains($"{result.StratifiedRandomBaseline.MacroF1:0.0000}"));
        Assert.Contains(prePosting.Reasons, r => r.Contains("No active version of this feature set"));
        var versions = await db.Get<ModelRegistryStore>().ListAsync(ModelKind.Engagement);
        Assert.Equal([prePosting.VersionTag, seed15.VersionTag], versions.Where(v => v.IsActive).Select(v => v.VersionTag));
        Assert.Equal(prePosting.VersionTag, (await prediction.PredictAsync(video, null, FeatureSet.PrePostingName)).VersionTag);
        Assert.Equal(seed15.VersionTag, (await prediction.PredictAsync(video)).VersionTag);
        var wrongSet = await Assert.ThrowsAsync<ModelRegistryException>(() => prediction.PredictAsync(video, seed15.VersionTag, FeatureSet.PrePostingName));
        Assert.Contains("not pre-posting", wrongSet.Message);
    }

    [Fact]
    public async Task APrePostingRunIsComparedWithTheActivePrePostingVersionOnMacroF1()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var training = db.Get<EngagementTrainingService>();
        var first = await training.RunAsync(new TrainingRequest(FeatureSet.PrePosting), RunTrigger.Manual);

        var second = await training.RunAsync(new TrainingRequest(FeatureSet.PrePosting), RunTrigger.Manual);

        // Same rows, same seed: the same macro-F1, which is "not below" the active version.
        Assert.True(first.Activated);
        Assert.True(second.Activated);
        Assert.Contains(second.Reasons, r => r.Contains($"not below active version {first.VersionTag}"));
    }

    [Fact]
    public async Task APrePostingRunBelowItsLiftOverTheRandomBaselineIsRejectedWithTheRule()
    {
        var settings = TrainingFixtures.Settings();
        settings["Virality:Training:PrePostingGateMinimumMacroF1Lift"] = "1";
        await using var db = await postgres.CreateDatabaseAsync(settings);
        await TrainingFixtures.SeedAsync(db, 800);

        var outcome = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(FeatureSet.PrePosting), RunTrigger.Manual);

        Assert.False(outcome.Activated);
        Assert.Contains("does not beat the stratified-random baseline", outcome.Reasons[0]);
        Assert.Contains("by 1.00", outcome.Reasons[0]);
    }
}
