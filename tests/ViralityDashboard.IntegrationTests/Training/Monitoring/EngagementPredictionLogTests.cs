using System.Text.Json;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>Issue 12 §2: every engagement prediction is logged with all its columns, and a full queue drops and counts instead of waiting.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EngagementPredictionLogTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AnEngagementPredictionIsLoggedWithEveryColumnAndTheVideoItNamed()
    {
        var (db, active) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;
        var video = SyntheticVideos.Generate(1, 3).Single(); // the first imported video, by its platform id
        var before = DateTimeOffset.UtcNow;

        var outcome = await db.Get<PredictionService>().PredictAsync(video, null, null, PredictionSource.Api, video.VideoId);
        Assert.Equal(1, await db.Get<PredictionLog>().FlushAsync());

        var row = (await db.QueryAsync("""
            SELECT p.model_version_id, p.kind, p.source, p.feature_set, p.inputs_hash, p.features::text, p.probabilities, p.predicted_tier,
                   p.score, p.served_at, p.observed_at, v.platform_video_id, p.outcome_tier
            FROM prediction_log p LEFT JOIN scraped_videos v ON v.id = p.video_id
            """, r => new
        {
            Version = r.GetInt64(0), Kind = r.GetString(1), Source = r.GetString(2), FeatureSet = r.GetString(3), Hash = r.GetString(4),
            Features = JsonSerializer.Deserialize<Dictionary<string, float>>(r.GetString(5))!, Probabilities = r.GetFieldValue<float[]>(6),
            Tier = r.GetInt16(7), Score = r.GetDouble(8), ServedAt = r.GetFieldValue<DateTimeOffset>(9), ObservedAt = r.GetFieldValue<DateTimeOffset>(10),
            Video = r.IsDBNull(11) ? null : r.GetString(11), Outcome = r.IsDBNull(12) ? (short?)null : r.GetInt16(12),
        })).Single();
        Assert.Equal((active.Id, "engagement", "api", FeatureSet.Seed15Name), (row.Version, row.Kind, row.Source, row.FeatureSet));
        Assert.Equal(InputsHash.Of(outcome.Features), row.Hash);
        Assert.Equal(outcome.Features.OrderBy(f => f.Key), row.Features.OrderBy(f => f.Key));
        Assert.Equal(outcome.Probabilities, row.Probabilities);
        Assert.Equal((outcome.Tier, outcome.Score), (row.Tier, row.Score));
        Assert.Equal(video.VideoId, row.Video);
        Assert.Equal(row.ServedAt, row.ObservedAt);
        Assert.InRange(row.ServedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(row.Outcome);
    }

    [Fact]
    public async Task APredictionOfNoKnownVideoIsLoggedWithoutOne()
    {
        var (db, _) = await MonitoringFixtures.TrainedAsync(postgres);
        await using var _ = db;

        // The interface is the Predictor page's: logged as from the page.
        await ((IEngagementPredictor)db.Get<PredictionService>()).PredictAsync(SyntheticVideos.Generate(1, 77).Single(), null, null);
        await db.Get<PredictionLog>().FlushAsync();

        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE source = 'page' AND video_id IS NULL AND predicted_tier BETWEEN 1 AND 5"));
    }

    [Fact]
    public async Task AFullQueueDropsEngagementEntriesAndCountsThemByKind()
    {
        await using var db = await postgres.CreateDatabaseAsync(new Dictionary<string, string?> { ["Virality:Preference:PredictionLogCapacity"] = "2" });
        using var telemetry = new TelemetryCapture([], [ViralityTelemetry.MeterName]);
        var log = db.Get<PredictionLog>(); // the host is not started: nothing empties the queue
        PredictionLogEntry Entry(int i) => new()
        {
            Kind = ModelKind.Engagement, Source = PredictionSource.Api, FeatureSet = FeatureSet.Seed15Name, InputsHash = $"{i:x64}",
            PredictedTier = 3, Score = 50, ServedAt = DateTimeOffset.UtcNow, ObservedAt = DateTimeOffset.UtcNow,
        };

        var accepted = Enumerable.Range(0, 3).Select(i => log.TryEnqueue(Entry(i))).ToList();

        Assert.Equal([true, true, false], accepted);
        Assert.Equal((1L, 0L), (log.DroppedOf(ModelKind.Engagement), log.DroppedOf(ModelKind.Preference)));
        var dropped = telemetry.Points("virality.prediction_log.dropped").Single(p => TelemetryCapture.Tag(p, "model.kind") == "engagement").GetSumLong();
        Assert.Equal(1L, dropped);
        Assert.Equal(2, await log.FlushAsync());
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM prediction_log WHERE kind = 'engagement' AND source = 'api'"));
    }
}
