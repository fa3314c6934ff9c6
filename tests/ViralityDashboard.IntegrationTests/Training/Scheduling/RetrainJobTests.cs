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

public sealed class RetrainJobTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
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
        var choices = new ScheduleChoices(TrainerKind.LightGbm, FeatureSet.PrePosting, TierScheme.Wes, TrainingRowsMode.PointInTime);
        await db.Get<IRetrainSchedule>().RescheduleAsync("0 0 3 * * ?", choices);

        await using var restarted = postgres.Attach(db, new Dictionary<string, string?> { ["Virality:Training:Cron"] = "0 0 1 * * ?" });
        await SeedScheduleAsync(restarted);

        var info = (await restarted.Get<IRetrainSchedule>().GetAsync())!;
        Assert.Equal(("0 0 3 * * ?", choices), (info.Cron, info.Choices));
        var trigger = await (await restarted.Get<ISchedulerFactory>().GetScheduler()).GetTrigger(TrainingSchedule.CronTriggerKey);
        var request = System.Text.Json.JsonSerializer.Deserialize<TrainingRequest>(trigger!.JobDataMap.GetString(RetrainJob.RequestKey)!, TrainingJson.Options)!;
        Assert.Equal((RunTrigger.Schedule, (TrainingRowsMode?)TrainingRowsMode.PointInTime), (request.Trigger, request.Rows));
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

    /// <summary>Issue 24 §2: the run history lists launched runs still waiting for their turn, of its own kind.</summary>
    [Fact]
    public async Task LaunchedRunsWaitingForTheirTurnAreListedAsQueuedOfTheirKindUntilTheyRun()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        var launcher = db.Get<TrainingLauncher>();
        // No scheduler node runs yet: the launches wait in the store.
        var first = await launcher.LaunchAsync(new TrainingRequest(RequestedBy: "owner"));
        var second = await launcher.LaunchAsync(new TrainingRequest(Trainer: TrainerKind.LightGbm, Trigger: RunTrigger.Drift, RequestedBy: "drift-trigger"));
        await launcher.LaunchAsync(new TrainingRequest(ModelKind: ModelKind.Preference));

        var queued = await launcher.QueuedAsync(ModelKind.Engagement);

        Assert.Equal([first, second], queued.Select(q => q.RequestId!.Value));
        Assert.Equal((RunTrigger.Drift, "lightgbm", "drift-trigger"), (queued[1].Trigger, queued[1].Trainer, queued[1].RequestedBy));
        Assert.Single(await launcher.QueuedAsync(ModelKind.Preference));

        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            Assert.NotNull(await launcher.WaitAsync(second, TimeSpan.FromMinutes(5)));
            // The run row says finished a moment before Quartz removes the fired trigger: wait for the store to catch up.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while ((await launcher.QueuedAsync(ModelKind.Engagement)).Count > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.Empty(await launcher.QueuedAsync(ModelKind.Engagement));
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
    }

    [Fact]
    public async Task ARecoveredRequestInterruptedTwiceIsRecordedFailedInsteadOfRunAThirdTime()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        var requestId = Guid.NewGuid();
        await InsertRunsAsync(db, requestId, StaleRunSweeper.InterruptedMessage, StaleRunSweeper.InterruptedMessage);

        await ExecuteAsync(db, new TrainingRequest(RequestId: requestId), recovering: true);

        await AssertGivenUpAsync(db, r => r.RequestId == requestId);
    }

    /// <summary>
    /// Issue 22 §6: the rule looked at the latest two runs of any request, so a run of another request between a crashing
    /// request's interruptions let it run (and crash the process) again; per request, it is run at most twice.
    /// </summary>
    [Fact]
    public async Task ARequestInterruptedTwiceIsNotRunAThirdTimeWhenAnotherRequestRanInBetween()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        var requestId = Guid.NewGuid();
        await InsertRunsAsync(db, requestId, StaleRunSweeper.InterruptedMessage, StaleRunSweeper.InterruptedMessage);
        await InsertRunsAsync(db, Guid.NewGuid(), (string?)null);

        await ExecuteAsync(db, new TrainingRequest(RequestId: requestId), recovering: true);

        await AssertGivenUpAsync(db, r => r.RequestId == requestId);
    }

    [Fact]
    public async Task ARecoveredRequestInterruptedOnceTrainsAgainThoughAnotherRequestWasInterruptedToo()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        await InsertRunsAsync(db, Guid.NewGuid(), StaleRunSweeper.InterruptedMessage);
        var requestId = Guid.NewGuid();
        await InsertRunsAsync(db, requestId, StaleRunSweeper.InterruptedMessage);

        await ExecuteAsync(db, new TrainingRequest(RequestId: requestId), recovering: true);

        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var run = await ctx.TrainingRuns.AsNoTracking().Where(r => r.RequestId == requestId).OrderByDescending(r => r.Id).FirstAsync();
        Assert.NotEqual(RunStatus.Running, run.Status);
        Assert.Null(run.Error);
    }

    /// <summary>A scheduled firing carries no request id: its runs are the schedule's, and they are not retried a third time either.</summary>
    [Fact]
    public async Task AScheduledFiringInterruptedTwiceIsNotRunAThirdTimeWhenALaunchRanInBetween()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        await InsertRunsAsync(db, null, StaleRunSweeper.InterruptedMessage, StaleRunSweeper.InterruptedMessage);
        await InsertRunsAsync(db, Guid.NewGuid(), (string?)null);

        await ExecuteAsync(db, new TrainingRequest(Trigger: RunTrigger.Schedule), recovering: true);

        await AssertGivenUpAsync(db, r => r.RequestId == null && r.Trigger == RunTrigger.Schedule);
    }

    /// <summary>The latest run matching <paramref name="ofRequest"/> is the failed one that says why, and nothing was trained.</summary>
    private static async Task AssertGivenUpAsync(TestDatabase db, System.Linq.Expressions.Expression<Func<ViralityDashboard.Data.Entities.TrainingRun, bool>> ofRequest)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var runs = await ctx.TrainingRuns.AsNoTracking().Where(ofRequest).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(3, runs.Count);
        Assert.Equal(RunStatus.Failed, runs[^1].Status);
        Assert.Equal(StaleRunSweeper.InterruptedTwiceMessage, runs[^1].Error);
        Assert.Null(runs[^1].ModelVersionId);
        Assert.Equal(0, await ctx.ModelVersions.CountAsync());
    }

    /// <summary>One ended run per error (null: completed) for the request, oldest first; no request id for the schedule's runs.</summary>
    private static async Task InsertRunsAsync(TestDatabase db, Guid? requestId, params string?[] errors)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        foreach (var error in errors)
        {
            ctx.TrainingRuns.Add(new ViralityDashboard.Data.Entities.TrainingRun
            {
                Kind = ModelKind.Engagement, Trigger = requestId is null ? RunTrigger.Schedule : RunTrigger.Manual,
                Status = error is null ? RunStatus.Completed : RunStatus.Failed, RequestId = requestId,
                StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10), FinishedAt = DateTimeOffset.UtcNow.AddMinutes(-9),
                Error = error,
            });
            await ctx.SaveChangesAsync(); // one at a time: the ids keep their order
        }
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
