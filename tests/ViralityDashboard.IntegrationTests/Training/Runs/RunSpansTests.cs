using System.Text.Json;
using Quartz;
using Quartz.Diagnostics;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

[Collection(PostgresCollection.Name)]
public sealed class RunSpansTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ARunLaunchedThroughQuartzIsTracedUnderTheJobWithASpanPerStepAndItsDurationMeasured()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 120);
        using var telemetry = new TelemetryCapture([ViralityTelemetry.TrainingSourceName, QuartzInstrumentation.ActivitySourceName], [ViralityTelemetry.MeterName]);
        var scheduler = await db.Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        TrainingRun? row;
        try
        {
            var launcher = db.Get<TrainingLauncher>();
            row = await launcher.WaitAsync(await launcher.LaunchAsync(new TrainingRequest()), TimeSpan.FromMinutes(5));
        }
        finally
        {
            await scheduler.Shutdown(waitForJobsToComplete: true);
        }

        Assert.Equal(RunStatus.Completed, row!.Status);
        var run = telemetry.Named("training run").Single();
        Assert.Equal((row.Id, "completed", "engagement"), ((long)run.GetTagItem("training.run_id")!, run.GetTagItem("training.status"), run.GetTagItem("model.kind")));
        // Quartz's job span is the run's parent: one trace from the firing to the stored version.
        Assert.Contains(telemetry.Spans, s => s.Source.Name == QuartzInstrumentation.ActivitySourceName && s.SpanId == run.ParentSpanId);
        Assert.Equal(["training read", "training load-active", "training fit", "training store"],
            telemetry.Spans.Where(s => s.ParentSpanId == run.SpanId).OrderBy(s => s.StartTimeUtc).Select(s => s.DisplayName));
        // The fit's own steps, as the run row times them, are spans under "training fit".
        var fit = telemetry.Named("training fit").Single(s => s.ParentSpanId == run.SpanId);
        var fitSteps = telemetry.Spans.Where(s => s.ParentSpanId == fit.SpanId).Select(s => s.DisplayName).ToList();
        var timed = JsonSerializer.Deserialize<List<StepTiming>>(row.Timings!, TrainingJson.Options)!.Select(t => $"training {t.Step}");
        Assert.NotEmpty(fitSteps);
        Assert.Subset(timed.ToHashSet(), fitSteps.ToHashSet());
        var durations = telemetry.Points("virality.training.duration");
        Assert.Equal(1, durations.Where(p => TelemetryCapture.Tag(p, "training.status") == "completed").Sum(p => p.GetHistogramCount()));
    }
}
