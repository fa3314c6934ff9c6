using ViralityDashboard.Core.Ml;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data;

public sealed class SchemaTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task MigrationsCreateEveryTableInAnEmptyDatabase()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();

        Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        foreach (var table in new[] { "scraped_videos", "analyzed_videos", "video_ratings", "calibration_baselines", "model_versions", "model_activations", "training_runs" })
            Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'"));
    }

    [Fact]
    public async Task TheDatabaseRefusesTwoActiveVersionsOfOneKind()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        ctx.ModelVersions.Add(Version("eng-1", ModelKind.Engagement, active: true));
        ctx.ModelVersions.Add(Version("pref-1", ModelKind.Preference, active: true));
        ctx.ModelVersions.Add(Version("eng-0", ModelKind.Engagement, active: false));
        await ctx.SaveChangesAsync();

        ctx.ModelVersions.Add(Version("eng-2", ModelKind.Engagement, active: true));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => ctx.SaveChangesAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_versions WHERE kind = 'engagement' AND is_active"));
    }

    private static ModelVersion Version(string tag, ModelKind kind, bool active) => new()
    {
        VersionTag = tag,
        Kind = kind,
        Status = active ? VersionStatus.Active : VersionStatus.Inactive,
        IsActive = active,
        TrainedAt = DateTimeOffset.UtcNow,
        FeatureSet = "seed15",
        Trainer = "lbfgs",
    };
}
