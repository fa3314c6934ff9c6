using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ScrapedVideoConfiguration : IEntityTypeConfiguration<ScrapedVideo>
{
    /// <summary>The (platform, video id) key; the importer rebuilds it by name after a bulk load.</summary>
    public const string PlatformVideoIndex = "ix_scraped_videos_platform_platform_video_id";

    /// <summary>Newest first, for the rate queue's top N; the importer rebuilds it with the key index.</summary>
    public const string NewestIndex = "ix_scraped_videos_newest";

    /// <summary>Only the flagged rows (a few per thousand), so the overview counts them without a table scan.</summary>
    public const string FlaggedIndex = "ix_scraped_videos_flagged";

    /// <summary>Percent of each heap page a load fills (see <see cref="Configure"/>).</summary>
    public const int FillFactor = 50;

    /// <summary>The secondary indexes as the migration creates them, for the importer's drop-and-rebuild.</summary>
    public static readonly IReadOnlyList<(string Name, string Create)> SecondaryIndexes =
    [
        (NewestIndex, $"CREATE INDEX {NewestIndex} ON scraped_videos (created_at DESC, id DESC)"),
        (FlaggedIndex, $"CREATE INDEX {FlaggedIndex} ON scraped_videos (id) WHERE quality_flags <> 0"),
    ];

    public void Configure(EntityTypeBuilder<ScrapedVideo> b)
    {
        b.ToTable("scraped_videos", t =>
        {
            t.HasCheckConstraint("ck_scraped_videos_counts_non_negative",
                "views >= 0 AND likes >= 0 AND shares >= 0 AND comments >= 0 AND (saves IS NULL OR saves >= 0)");
            t.HasCheckConstraint("ck_scraped_videos_duration_non_negative", "duration_seconds IS NULL OR duration_seconds >= 0");
        });
        // Half of each page left free: a daily re-scrape rewrites every row it changes, and with room on the page the new
        // version is a heap-only tuple, with no entry in any of the four indexes. Full pages made that UPDATE write
        // each row into every index (1M changed rows: 26–29 s against 7.5–9 s; bench-import --fillfactor).
        b.HasStorageParameter("fillfactor", FillFactor);
        b.Property(v => v.Platform).HasMaxLength(32);
        b.Property(v => v.PlatformVideoId).HasMaxLength(64);
        b.Property(v => v.VideoUrl).HasMaxLength(2048);
        b.Property(v => v.CoverUrl).HasMaxLength(2048);
        b.HasIndex(v => new { v.Platform, v.PlatformVideoId }).IsUnique().HasDatabaseName(PlatformVideoIndex);
        b.Property(v => v.QualityFlags).HasConversion<int>();
        // Two secondary indexes only, each for a page's first render at a million rows (the rate queue's
        // newest N: 0.3 s as a scan; the overview's flagged count: 0.2 s as a scan). Every other index slows a
        // million-row import by about a fifth, and the aggregates (percentiles, histograms) scan anyway.
        b.HasIndex(v => new { v.CreatedAt, v.Id }, NewestIndex).IsDescending(true, true).HasDatabaseName(NewestIndex);
        b.HasIndex(v => v.Id, FlaggedIndex).HasFilter("quality_flags <> 0").HasDatabaseName(FlaggedIndex);
        b.HasMany(v => v.Analyses).WithOne(a => a.Video).HasForeignKey(a => a.VideoId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(v => v.Ratings).WithOne(r => r.Video).HasForeignKey(r => r.VideoId).OnDelete(DeleteBehavior.Cascade);
    }
}
