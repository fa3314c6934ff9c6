using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> b)
    {
        b.ToTable("training_runs");
        b.Property(r => r.Kind).HasWireConversion().HasMaxLength(32);
        b.Property(r => r.Trigger).HasWireConversion().HasMaxLength(16);
        b.Property(r => r.Status).HasWireConversion().HasMaxLength(24);
        b.Property(r => r.GateDecision).HasWireConversion().HasMaxLength(16);
        b.Property(r => r.TriggerDetails).HasColumnType("jsonb");
        b.Property(r => r.Options).HasColumnType("jsonb");
        b.Property(r => r.Thresholds).HasColumnType("jsonb");
        b.Property(r => r.TierDistribution).HasColumnType("jsonb");
        b.Property(r => r.Metrics).HasColumnType("jsonb");
        b.Property(r => r.Timings).HasColumnType("jsonb");
        b.HasIndex(r => new { r.Kind, r.StartedAt });
        b.HasIndex(r => r.RequestId);
    }
}
