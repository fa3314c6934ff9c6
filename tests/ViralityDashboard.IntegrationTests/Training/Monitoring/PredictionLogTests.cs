using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

[Collection(PostgresCollection.Name)]
public sealed class PredictionLogTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ItsQueueIsAGaugeOfTheEntriesNotYetWritten()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        using var telemetry = new TelemetryCapture([], [ViralityTelemetry.MeterName]);
        var log = db.Get<PredictionLog>(); // the host is not started: nothing writes the queue in the background
        for (var i = 0; i < 3; i++)
            Assert.True(log.TryEnqueue(new PredictionLogEntry { Kind = ModelKind.Preference, InputsHash = $"{i:x64}", Score = i, ServedAt = DateTimeOffset.UtcNow, ObservedAt = DateTimeOffset.UtcNow }));

        long Pending() => (long)telemetry.Points("virality.prediction_log.pending").Single(p => TelemetryCapture.Tag(p, "model.kind") == "preference").GetGaugeLastValueLong();
        var queued = Pending();
        var written = await log.FlushAsync();

        Assert.Equal((3L, 3), (queued, written));
        Assert.Equal(0L, Pending());
    }
}
