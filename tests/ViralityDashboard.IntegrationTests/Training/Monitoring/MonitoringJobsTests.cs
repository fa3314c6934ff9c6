using Quartz;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §2–3: an import queues the scoring job through Quartz, and the maturing job follows it.</summary>
public sealed class MonitoringJobsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AnImportFromThePageQueuesScoringAndThenMaturingThroughQuartz()
    {
        var (db, _) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var csv = new MemoryStream();
            await using (var writer = new StreamWriter(csv, leaveOpen: true))
                await CsvVideoWriter.WriteAsync(writer, SyntheticVideos.Generate(20, 55));
            csv.Position = 0;

            // The page's commands: the import returns before anything is scored.
            await db.Get<IVideoImportCommands>().ImportAsync(csv, null);

            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await db.ScalarAsync("SELECT count(*) FROM realized_metrics") == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(250);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        var videos = await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE quality_flags = 0");
        Assert.Equal(videos, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE source = 'scoring'"));
        // Imported once, long after posting: each is first seen already mature, given its outcome and counted apart.
        Assert.Equal(videos, await db.ScalarAsync("SELECT coalesce(sum(no_later_snapshot), 0) FROM realized_metrics"));
        Assert.Equal(0, await db.ScalarAsync("SELECT coalesce(sum(matured), 0) FROM realized_metrics"));
    }

    [Fact]
    public async Task ARetrainThatActivatesAVersionQueuesScoringOfTheVideosSeenSoFar()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        try
        {
            var launcher = db.Get<TrainingLauncher>();
            var run = await launcher.WaitAsync(await launcher.LaunchAsync(new TrainingRequest()), TimeSpan.FromMinutes(5));
            Assert.Equal(ViralityDashboard.Core.Ml.RunStatus.Completed, run!.Status);

            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await db.ScalarAsync("SELECT count(*) FROM realized_metrics") == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(250);
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }
        var videos = await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE quality_flags = 0");
        Assert.Equal(videos, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE source = 'scoring'"));
    }
}
