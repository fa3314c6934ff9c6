using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ScrapedVideoConfiguration : IEntityTypeConfiguration<ScrapedVideo>
{
    /// <summary>The (platform, video id) key; the importer rebuilds it by name after a bulk load.</summary>
    public const string PlatformVideoIndex = "ix_scraped_videos_platform_platform_video_id";

    public void Configure(EntityTypeBuilder<ScrapedVideo> b)
    {
        b.ToTable("scraped_videos", t =>
        {
            t.HasCheckConstraint("ck_scraped_videos_counts_non_negative",
                "views >= 0 AND likes >= 0 AND shares >= 0 AND comments >= 0 AND (saves IS NULL OR saves >= 0)");
            t.HasCheckConstraint("ck_scraped_videos_duration_non_negative", "duration_seconds IS NULL OR duration_seconds >= 0");
        });
        b.Property(v => v.Platform).HasMaxLength(32);
        b.Property(v => v.PlatformVideoId).HasMaxLength(64);
        b.HasIndex(v => new { v.Platform, v.PlatformVideoId }).IsUnique().HasDatabaseName(PlatformVideoIndex);
        b.Property(v => v.QualityFlags).HasConversion<int>();
        // No secondary indexes on purpose: each one slows a million-row import by a fifth, and the
        // queries that would use them (newest N, percentiles) scan the table anyway.
        b.HasMany(v => v.Analyses).WithOne(a => a.Video).HasForeignKey(a => a.VideoId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(v => v.Ratings).WithOne(r => r.Video).HasForeignKey(r => r.VideoId).OnDelete(DeleteBehavior.Cascade);
    }
}
