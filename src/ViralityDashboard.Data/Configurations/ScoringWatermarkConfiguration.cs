using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ScoringWatermarkConfiguration : IEntityTypeConfiguration<ScoringWatermark>
{
    public void Configure(EntityTypeBuilder<ScoringWatermark> b)
    {
        b.ToTable("scoring_watermarks");
        b.HasKey(w => w.FeatureSet);
        b.Property(w => w.FeatureSet).HasMaxLength(64);
    }
}
