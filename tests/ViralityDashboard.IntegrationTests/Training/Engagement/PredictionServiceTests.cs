using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.IntegrationTests.Training.Engagement;

[Collection(PostgresCollection.Name)]
public sealed class PredictionServiceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task EachServedPredictionIsCountedByModelKind()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);
        using var telemetry = new TelemetryCapture([], [ViralityTelemetry.MeterName]);
        var videos = SyntheticVideos.Generate(3, 99).ToList();

        foreach (var video in videos)
            await db.Get<PredictionService>().PredictAsync(video);

        var counted = telemetry.Points("virality.predictions").Where(p => TelemetryCapture.Tag(p, "model.kind") == "engagement").Sum(p => p.GetSumLong());
        Assert.Equal(videos.Count, counted);
    }
}
