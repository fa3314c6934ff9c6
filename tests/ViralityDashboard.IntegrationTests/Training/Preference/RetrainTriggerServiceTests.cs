using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Quartz;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.IntegrationTests.Training.Preference;

public sealed class RetrainTriggerServiceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task FiftyNewRatingsFireOneDataRunThatRecordsWhyAndTheSameRatingsNeverFireAgainEvenWhenTheGateRejects()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        var first = await db.Get<PreferenceTrainingService>().RunAsync(new TrainingRequest(ModelKind: ModelKind.Preference), RunTrigger.Manual);
        Assert.True(first.Activated);
        await PreferenceFixtures.SeedRatedAsync(db, 200, 49);
        // A gate no candidate passes: the triggered run is rejected, so the active version stays the old one.
        await using var strict = postgres.Attach(db, PreferenceFixtures.Settings(("GateMaximumMae", "0.0001")));
        var triggers = strict.Get<RetrainTriggerService>();
        Assert.False((await triggers.EvaluateAsync()).Fire);

        await PreferenceFixtures.SeedRatedAsync(db, 249, 1);
        var scheduler = await strict.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        DataTriggerOutcome fired, again;
        try
        {
            fired = await triggers.CheckAndLaunchAsync();
            again = await triggers.CheckAndLaunchAsync();
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        Assert.True(fired.Evaluation.Fire);
        Assert.Equal(RunStatus.SkippedByGate, fired.RunStatus);
        Assert.False(again.Evaluation.Fire);
        Assert.Equal(0, again.Evaluation.NewRows);
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var dataRun = await ctx.TrainingRuns.SingleAsync(r => r.Trigger == RunTrigger.Data);
        Assert.Equal((fired.RunId, ModelKind.Preference), (dataRun.Id, dataRun.Kind));
        var details = JsonSerializer.Deserialize<DataTriggerDetails>(dataRun.TriggerDetails!, TrainingJson.Options)!;
        Assert.Contains(RetrainTriggerKind.NewRatings, details.Fired);
        var newRatings = details.Outcomes.Single(o => o.Trigger == RetrainTriggerKind.NewRatings);
        Assert.Equal((true, 50.0, 50.0), (newRatings.Fired, newRatings.Value, newRatings.Threshold));
        Assert.Equal(first.VersionTag, details.ActiveVersion);
        Assert.Equal(PreferenceFixtures.T0.AddMinutes(249), details.Watermark.RatedAt);
        Assert.Equal(2, await ctx.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task AShiftedFeatureFiresTheDriftTriggerNamingThatFeature()
    {
        // New ratings alone would fire at 50; raise that threshold so only drift can.
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings(("TriggerNewRatings", "1000")));
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        await db.Get<PreferenceTrainingService>().RunAsync(new TrainingRequest(ModelKind: ModelKind.Preference), RunTrigger.Manual);
        await PreferenceFixtures.SeedRatedAsync(db, 200, 60, drifted: true);

        var evaluation = await db.Get<RetrainTriggerService>().EvaluateAsync();

        Assert.True(evaluation.Fire);
        Assert.Contains(RetrainTriggerKind.FeatureDrift, evaluation.Details!.Fired);
        Assert.DoesNotContain(RetrainTriggerKind.NewRatings, evaluation.Details.Fired);
        var drift = evaluation.Details.Outcomes.Single(o => o.Trigger == RetrainTriggerKind.FeatureDrift);
        Assert.True(drift.Value >= 0.1, $"mean PSI {drift.Value}");
        Assert.Equal("production.shotComplexity", drift.Features![0].Feature);
        Assert.Contains("production.shotComplexity", drift.Reason);
    }

    [Fact]
    public async Task RatingsTheActiveModelNowGetsWrongFireTheDegradationTrigger()
    {
        // Only degradation may fire: new ratings need 1,000, and the new analyses are not drifted.
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings(("TriggerNewRatings", "1000")));
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        var first = await db.Get<PreferenceTrainingService>().RunAsync(new TrainingRequest(ModelKind: ModelKind.Preference), RunTrigger.Manual);
        Assert.True(first.Activated);
        await PreferenceFixtures.SeedRatedAsync(db, 200, 30);
        // The owner's taste turned around: the newer ratings are the mirror image of what the model learned.
        await using (var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync())
            await ctx.Database.ExecuteSqlRawAsync("UPDATE video_ratings SET overall_score = 1 - overall_score WHERE rated_at >= {0}", PreferenceFixtures.T0.AddMinutes(200));

        var evaluation = await db.Get<RetrainTriggerService>().EvaluateAsync();

        Assert.True(evaluation.Fire);
        Assert.Equal([RetrainTriggerKind.PerformanceDegradation], evaluation.Details!.Fired);
        var degradation = evaluation.Details.Outcomes.Single(o => o.Trigger == RetrainTriggerKind.PerformanceDegradation);
        Assert.True(degradation.Value >= 0.05, $"MAE increase {degradation.Value}");
        Assert.Contains("30 newer ratings", degradation.Reason);
    }

    [Fact]
    public async Task WithoutAnActivePreferenceVersionNothingFires()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await PreferenceFixtures.SeedRatedAsync(db, 0, 120);

        var evaluation = await db.Get<RetrainTriggerService>().EvaluateAsync();

        Assert.False(evaluation.Fire);
        Assert.Null(evaluation.ActiveVersion);
    }
}
