using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>
/// Versions and logged predictions written straight into the tables, as the scoring and maturing jobs would leave them:
/// these tests are about what is read from prediction_log, not how it got there.
/// </summary>
internal static class MonitoringRows
{
    public static readonly DateTimeOffset T0 = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    /// <param name="servedAccuracy">The run's served accuracy (test videos as first seen, tier as matured); null as in versions stored before it.</param>
    public static ModelVersion Version(string tag, double testAccuracy, string featureSet = "seed15", VersionStatus status = VersionStatus.Inactive,
        double? servedAccuracy = null) => new()
    {
        VersionTag = tag, Kind = ModelKind.Engagement, Status = status, TrainedAt = T0, FeatureSet = featureSet, Trainer = "lbfgs",
        Metrics = TrainingJson.Serialize(new EngagementVersionMetrics(Figures(1000, testAccuracy), testAccuracy, null, null, null, null)
        {
            Served = servedAccuracy is { } served ? new ServedAccuracy(Figures(400, served), 400) : null,
        }),
    };

    private static ClassificationMetrics Figures(int count, double accuracy) => new(count, accuracy, accuracy, accuracy, accuracy, 0, [], []);

    public static Task<ModelVersion> StoreAsync(TestDatabase db, ModelVersion version, bool activate = false) =>
        db.Get<ModelRegistryStore>().StoreAsync(version, activate, "test", null);

    /// <param name="outcome">Null: not matured yet.</param>
    public static PredictionLogEntry Prediction(long versionId, long videoId, int predicted, int? outcome, DateTimeOffset observedAt,
        PredictionSource source = PredictionSource.Scoring) => new()
    {
        ModelVersionId = versionId, Kind = ModelKind.Engagement, Source = source, FeatureSet = "seed15",
        InputsHash = new string('0', 48) + videoId.ToString("x16"), Features = "{}", Probabilities = [0.2f, 0.2f, 0.2f, 0.2f, 0.2f],
        PredictedTier = (short)predicted, Score = 50, ServedAt = observedAt, VideoId = videoId, ObservedAt = observedAt,
        OutcomeTier = (short?)outcome, MaturedAt = outcome is null ? null : observedAt.AddDays(7),
    };

    public static async Task InsertAsync(TestDatabase db, IEnumerable<PredictionLogEntry> rows)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        ctx.PredictionLog.AddRange(rows);
        await ctx.SaveChangesAsync();
    }
}
