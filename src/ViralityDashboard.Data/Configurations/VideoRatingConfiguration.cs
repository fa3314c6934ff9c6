using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class VideoRatingConfiguration : IEntityTypeConfiguration<VideoRating>
{
    public void Configure(EntityTypeBuilder<VideoRating> b)
    {
        b.ToTable("video_ratings", t =>
        {
            t.HasCheckConstraint("ck_video_ratings_scores_in_unit_range",
                "overall_score BETWEEN 0 AND 1"
                + " AND (hook IS NULL OR hook BETWEEN 0 AND 1) AND (pacing IS NULL OR pacing BETWEEN 0 AND 1)"
                + " AND (payoff IS NULL OR payoff BETWEEN 0 AND 1) AND (originality IS NULL OR originality BETWEEN 0 AND 1)"
                + " AND (rewatchable IS NULL OR rewatchable BETWEEN 0 AND 1)");
            t.HasCheckConstraint("ck_video_ratings_seconds_non_negative", "seconds_spent >= 0");
        });
        b.Property(r => r.Rater).HasMaxLength(256);
        b.Property(r => r.RaterType).HasConversion(
            v => v == RaterType.Owner ? "owner" : "other",
            s => s == "owner" ? RaterType.Owner : RaterType.Other).HasMaxLength(16);
        b.HasIndex(r => r.RatedAt);
        b.HasIndex(r => new { r.VideoId, r.Rater });
    }
}
