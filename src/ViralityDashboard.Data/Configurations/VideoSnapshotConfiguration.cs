using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class VideoSnapshotConfiguration : IEntityTypeConfiguration<VideoSnapshot>
{
    public void Configure(EntityTypeBuilder<VideoSnapshot> b)
    {
        b.ToTable("video_snapshots");
        // The key is the index that "first/latest snapshot of a video" reads. No foreign key to scraped_videos:
        // the import appends up to a million rows at once, and its per-row check would lock each video row
        // the same import has just updated (videos are never deleted; prediction_log does the same).
        b.HasKey(s => new { s.VideoId, s.ScrapedAt });
    }
}
