using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class CalibrationBaselineConfiguration : IEntityTypeConfiguration<CalibrationBaseline>
{
    public void Configure(EntityTypeBuilder<CalibrationBaseline> b)
    {
        b.ToTable("calibration_baselines");
        b.Property(c => c.ViewPercentiles).HasColumnType("jsonb");
        b.Property(c => c.WesPercentiles).HasColumnType("jsonb");
        b.Property(c => c.WesWeights).HasColumnType("jsonb");
        b.HasIndex(c => c.ComputedAt);
    }
}
