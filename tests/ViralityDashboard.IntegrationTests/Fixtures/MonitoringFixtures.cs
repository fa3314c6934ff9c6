using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.IntegrationTests.Fixtures;

/// <summary>A trained engagement version over imported videos, and the SQL the monitoring tests arrange their data with.</summary>
public static class MonitoringFixtures
{
    /// <summary>Imports <paramref name="videos"/> synthetic videos and trains one (active) seed15 version on them.</summary>
    public static async Task<(TestDatabase Db, ModelVersion Active)> TrainedAsync(PostgresFixture postgres, int videos = 800)
    {
        var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, videos);
        var outcome = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);
        Assert.True(outcome.Activated, outcome.Error ?? string.Join("; ", outcome.Reasons));
        // The monitoring tests score the very videos the version was trained on, to see how predictions are logged and
        // counted; undated (as versions stored before trained_through), none of them is left out as in-sample.
        // LiveAndBackfillTests covers what the date leaves out.
        await db.ExecuteAsync($"UPDATE model_versions SET trained_through = NULL WHERE version_tag = '{outcome.VersionTag}'");
        return (db, await VersionAsync(db, outcome.VersionTag!));
    }

    public static async Task<ModelVersion> VersionAsync(TestDatabase db, string tag)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        return await ctx.ModelVersions.AsNoTracking().SingleAsync(v => v.VersionTag == tag);
    }

    /// <summary>
    /// A challenger in shadow: the same model as <paramref name="of"/>, stored as another inactive version with its own
    /// thresholds (as a version trained on other data would have), so the two judge the same videos by different tiers.
    /// </summary>
    public static async Task<ModelVersion> AddShadowAsync(TestDatabase db, ModelVersion of, string tag, TierThresholds thresholds)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var shadow = new ModelVersion
        {
            VersionTag = tag, Kind = of.Kind, Status = VersionStatus.Inactive, IsShadow = true, TrainedAt = of.TrainedAt.AddMinutes(1),
            TrainingVideoCount = of.TrainingVideoCount, FeatureSet = of.FeatureSet, TierScheme = of.TierScheme, Trainer = of.Trainer,
            Thresholds = TrainingJson.Serialize(thresholds), FeatureWeights = of.FeatureWeights, Metrics = of.Metrics,
            NormalizationConfig = of.NormalizationConfig, Artifact = of.Artifact,
        };
        ctx.ModelVersions.Add(shadow);
        await ctx.SaveChangesAsync();
        return shadow;
    }

    public static TierThresholds Thresholds(ModelVersion version) =>
        System.Text.Json.JsonSerializer.Deserialize<TierThresholds>(version.Thresholds, TrainingJson.Options)!;

    public static async Task ExecuteAsync(this TestDatabase db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<List<T>> QueryAsync<T>(this TestDatabase db, string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await r.ReadAsync())
            rows.Add(map(r));
        return rows;
    }
}
