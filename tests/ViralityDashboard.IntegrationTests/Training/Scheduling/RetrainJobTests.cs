using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Engagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Quartz.Impl;
using Quartz.Extensibility;
using ViralityDashboard.Data;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Runs;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.IntegrationTests.Training.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class RetrainJobTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TheCronScheduleIsPersistedSoANewSchedulerOverTheSameDatabaseSeesIt()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await SeedScheduleAsync(db);
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        await scheduler.Shutdown(waitForJobsToComplete: true);

        // A scheduler that declares no jobs of its own, as after a restart before anything is registered.
        using var factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = TrainingSchedule.SchedulerName);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(db.ConnectionString);
                store.UseClustering();
            });
        }).Build() as IDisposable;
        var fresh = await ((ISchedulerFactory)factory!).GetScheduler();

        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await fresh.GetTrigger(TrainingSchedule.CronTriggerKey));
        Assert.Equal("0 0 3 * * ?", trigger.CronExpressionString);
        Assert.Equal(TimeZoneInfo.Utc.Id, trigger.TimeZone.Id);
        Assert.Equal(TrainingSchedule.JobKey, trigger.JobKey);
        Assert.NotNull(await fresh.GetJobDetail(TrainingSchedule.JobKey));
        await fresh.Shutdown();
    }

    [Fact]
    public async Task AScheduleSetOnTheTrainingPageSurvivesARestartWithAnotherConfiguredCron()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await SeedScheduleAsync(db);
        await db.Get<IRetrainSchedule>().RescheduleAsync("0 30 4 ? * MON");

        await using var restarted = postgres.Attach(db, new Dictionary<string, string?> { ["Virality:Training:Cron"] = "0 0 1 * * ?" });
        await SeedScheduleAsync(restarted);

        Assert.Equal("0 30 4 ? * MON", (await restarted.Get<IRetrainSchedule>().GetAsync())!.Cron);
    }

    [Fact]
    public async Task TheScheduledRunsChoicesAreStoredWithItsTriggerAndSurviveARestart()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await SeedScheduleAsync(db);
        var choices = new ScheduleChoices(TrainerKind.LightGbm, FeatureSet.PrePosting, TierScheme.Wes);
        await db.Get<IRetrainSchedule>().RescheduleAsync("0 0 3 * * ?", choices);

        await using var restarted = postgres.Attach(db, new Dictionary<string, string?> { ["Virality:Training:Cron"] = "0 0 1 * * ?" });
        await SeedScheduleAsync(restarted);

        var info = (await restarted.Get<IRetrainSchedule>().GetAsync())!;
        Assert.Equal(("0 0 3 * * ?", choices), (info.Cron, info.Choices));
        var trigger = await (await restarted.Get<ISchedulerFactory>().GetScheduler()).GetTrigger(TrainingSchedule.CronTriggerKey);
        var request = System.Text.Json.JsonSerializer.Deserialize<TrainingRequest>(trigger!.JobDataMap.GetString(RetrainJob.RequestKey)!, TrainingJson.Options)!;
        Assert.Equal(RunTrigger.Schedule, request.Trigger);
    }

    [Fact]
    public async Task AChangedConfiguredCronReplacesTheConfiguredOneAtTheNextStart()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await SeedScheduleAsync(db);
        Assert.Equal("0 0 3 * * ?", (await db.Get<IRetrainSchedule>().GetAsync())!.Cron);

        await using var restarted = postgres.Attach(db, new Dictionary<string, string?> { ["Virality:Training:Cron"] = "0 0 1 * * ?" });
        await SeedScheduleAsync(restarted);

        Assert.Equal("0 0 1 * * ?", (await restarted.Get<IRetrainSchedule>().GetAsync())!.Cron);
    }

    /// <summary>What the host does at start (the test hosts are never started).</summary>
    private static Task SeedScheduleAsync(TestDatabase db) =>
        db.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RetrainScheduleSeeder>().Single().StartAsync(CancellationToken.None);

    [Fact]
    public async Task TwoLaunchesThroughQuartzRunOneAfterTheOtherNeverSideBySide()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var launcher = db.Get<TrainingLauncher>();
            var firstId = await launcher.LaunchAsync(new TrainingRequest());
            var secondId = await launcher.LaunchAsync(new TrainingRequest(Trainer: TrainerKind.LightGbm));

            var first = await launcher.WaitAsync(firstId, TimeSpan.FromMinutes(5));
            var second = await launcher.WaitAsync(secondId, TimeSpan.FromMinutes(5));

            Assert.NotNull(first);
            Assert.NotNull(second);
            // The second waited for the first (DisallowConcurrentExecution): neither was refused by the
            // training lock, and their run intervals do not overlap.
            Assert.All(new[] { first, second }, r => Assert.NotEqual(RunStatus.Failed, r!.Status));
            var (earlier, later) = first!.StartedAt <= second!.StartedAt ? (first, second) : (second, first);
            Assert.True(later.StartedAt >= earlier.FinishedAt, $"runs overlapped: {earlier.StartedAt:O}–{earlier.FinishedAt:O} and {later.StartedAt:O}");
            Assert.Equal((RunTrigger.Manual, RunTrigger.Manual), (first.Trigger, second.Trigger));
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        Assert.Equal(2, await ctx.TrainingRuns.CountAsync());
    }

    [Fact]
    public async Task ARecoveredFiringAfterTwoRunsThatEndedWithTheirProcessIsRecordedFailedInsteadOfRunAgain()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        await InsertInterruptedAsync(db, 2);
        var requestId = Guid.NewGuid();

        await ExecuteAsync(db, new TrainingRequest(RequestId: requestId), recovering: true);

        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var run = await ctx.TrainingRuns.AsNoTracking().SingleAsync(r => r.RequestId == requestId);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("not recovered: the last 2 runs ended with their process", run.Error);
        Assert.Null(run.ModelVersionId);
        Assert.Equal(0, await ctx.ModelVersions.CountAsync());
    }

    [Fact]
    public async Task ARecoveredFiringAfterOneInterruptedRunTrainsAgain()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        await InsertInterruptedAsync(db, 1);
        var requestId = Guid.NewGuid();

        await ExecuteAsync(db, new TrainingRequest(RequestId: requestId), recovering: true);

        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var run = await ctx.TrainingRuns.AsNoTracking().SingleAsync(r => r.RequestId == requestId);
        Assert.NotEqual(RunStatus.Running, run.Status);
        Assert.Null(run.Error);
    }

    private static async Task InsertInterruptedAsync(TestDatabase db, int count)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        for (var i = 0; i < count; i++)
            ctx.TrainingRuns.Add(new ViralityDashboard.Data.Entities.TrainingRun
            {
                Kind = ModelKind.Engagement, Trigger = RunTrigger.Manual, Status = RunStatus.Failed,
                StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10 + i), FinishedAt = DateTimeOffset.UtcNow.AddMinutes(-9 + i),
                Error = StaleRunSweeper.InterruptedMessage,
            });
        await ctx.SaveChangesAsync();
    }

    /// <summary>Runs the job as Quartz does for a firing (recovered or not) carrying this request.</summary>
    private static async Task ExecuteAsync(TestDatabase db, TrainingRequest request, bool recovering)
    {
        var job = ActivatorUtilities.CreateInstance<RetrainJob>(db.Services);
        var detail = JobBuilder.Create<RetrainJob>().WithIdentity(TrainingSchedule.JobKey).Build();
        var trigger = (IOperableTrigger)TriggerBuilder.Create()
            .WithIdentity("recover_test", SchedulerConstants.DefaultRecoveryGroup)
            .ForJob(TrainingSchedule.JobKey)
            .UsingJobData(RetrainJob.RequestKey, System.Text.Json.JsonSerializer.Serialize(request, TrainingJson.Options))
            .StartNow()
            .Build();
        var now = DateTimeOffset.UtcNow;
        var bundle = new TriggerFiredBundle { JobDetail = detail, Trigger = trigger, Recovering = recovering, FireTimeUtc = now, ScheduledFireTimeUtc = now, PreviousFireTimeUtc = null, NextFireTimeUtc = null };
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await job.Execute(new JobExecutionContextImpl(scheduler, bundle, job, new SystemTextJsonJobInputSerializer()));
    }
}
