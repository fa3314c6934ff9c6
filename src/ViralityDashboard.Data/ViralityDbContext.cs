using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Data.Identity;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data;

/// <remarks>
/// Migrations live in Data/Migrations. Add one with
/// <c>dotnet ef migrations add Name --project src/ViralityDashboard.Data --output-dir Migrations</c>;
/// the design-time factory below means no web host is booted for that.
/// </remarks>
public sealed class ViralityDbContext(DbContextOptions<ViralityDbContext> options) : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<ScrapedVideo> ScrapedVideos => Set<ScrapedVideo>();
    public DbSet<VideoSnapshot> VideoSnapshots => Set<VideoSnapshot>();
    public DbSet<AnalyzedVideo> AnalyzedVideos => Set<AnalyzedVideo>();
    public DbSet<VideoRating> VideoRatings => Set<VideoRating>();
    public DbSet<CalibrationBaseline> CalibrationBaselines => Set<CalibrationBaseline>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ModelActivation> ModelActivations => Set<ModelActivation>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<ImportanceSnapshot> ImportanceSnapshots => Set<ImportanceSnapshot>();
    public DbSet<PredictionLogEntry> PredictionLog => Set<PredictionLogEntry>();
    public DbSet<RealizedWeek> RealizedMetrics => Set<RealizedWeek>();
    public DbSet<ScoringWatermark> ScoringWatermarks => Set<ScoringWatermark>();
    /// <summary>The Data Protection key ring of every instance of this database (sign-in cookies, antiforgery tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Installation> Installation => Set<Installation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // ASP.NET Core Identity's tables (sign-in, roles)
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ViralityDbContext).Assembly);
    }

    /// <summary>The one place the provider and naming convention are chosen.</summary>
    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}
