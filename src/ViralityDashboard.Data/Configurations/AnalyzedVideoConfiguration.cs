using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class AnalyzedVideoConfiguration : IEntityTypeConfiguration<AnalyzedVideo>
{
    public void Configure(EntityTypeBuilder<AnalyzedVideo> b)
    {
        b.ToTable("analyzed_videos");
        b.Property(a => a.AnalysisVersion).HasMaxLength(16);
        b.Property(a => a.VisualAnalysis).HasColumnType("jsonb");
        b.HasIndex(a => new { a.VideoId, a.AnalysisVersion }).IsUnique();
    }
}
