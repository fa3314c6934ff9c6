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

    [Fact]
    public async Task AShutdownThatRunsOutOfTimeLeavesTheRestUnwrittenInsteadOfEndingTheProcessOnAnException()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var log = db.Get<PredictionLog>();
        var writer = new PredictionLogWriter(log, Microsoft.Extensions.Logging.Abstractions.NullLogger<PredictionLogWriter>.Instance);
        for (var i = 0; i < 3; i++)
            log.TryEnqueue(new PredictionLogEntry { Kind = ModelKind.Preference, InputsHash = $"{i:x64}", Score = i, ServedAt = DateTimeOffset.UtcNow, ObservedAt = DateTimeOffset.UtcNow });

        // The host's shutdown timeout has already run out when the writer flushes.
        var stop = await Record.ExceptionAsync(() => writer.StopAsync(new CancellationToken(canceled: true)));

        Assert.Null(stop);
        Assert.Equal(3, log.Pending + log.Failed);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM prediction_log"));
    }

    [Fact]
    public async Task EveryFieldOfAnEntryArrivesInTheLogAsWritten()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var log = db.Get<PredictionLog>();
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        log.TryEnqueue(new PredictionLogEntry
        {
            ModelVersionId = 42, Kind = ModelKind.Engagement, Source = PredictionSource.Api, FeatureSet = "seed15", InputsHash = new string('a', 64),
            Features = """{"views": 1}""", Probabilities = [0.1f, 0.2f, 0.3f, 0.25f, 0.15f], PredictedTier = 3, Score = 61.5, ServedAt = at, ObservedAt = at.AddHours(-1),
        });
        log.TryEnqueue(new PredictionLogEntry { Kind = ModelKind.Preference, Source = PredictionSource.Page, InputsHash = new string('b', 64), Score = 7.25, ServedAt = at, ObservedAt = at });

        var written = await log.FlushAsync();
        var rows = await db.QueryAsync("""
            SELECT model_version_id, kind, source, feature_set, features->>'views', probabilities[3], predicted_tier, score, served_at, observed_at, video_id
            FROM prediction_log ORDER BY kind
            """, r => (r.IsDBNull(0) ? (long?)null : r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
            r.IsDBNull(5) ? (float?)null : r.GetFloat(5), r.IsDBNull(6) ? (short?)null : r.GetInt16(6), r.GetDouble(7), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10)));

        Assert.Equal(2, written);
        Assert.Equal(((long?)42, "engagement", "api", "seed15", "1", (float?)0.3f, (short?)3, 61.5, at, at.AddHours(-1), true), rows[0]);
        Assert.Equal(((long?)null, "preference", "page", (string?)null, (string?)null, (float?)null, (short?)null, 7.25, at, at, true), rows[1]);
    }
}
