using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ImportanceSnapshotConfiguration : IEntityTypeConfiguration<ImportanceSnapshot>
{
    public void Configure(EntityTypeBuilder<ImportanceSnapshot> b)
    {
        b.ToTable("feature_importance_snapshots");
        b.Property(s => s.Milestone).HasMaxLength(32);
        b.Property(s => s.Correlations).HasColumnType("jsonb");
        b.HasIndex(s => s.CreatedAt);
        b.HasOne<TrainingRun>().WithMany().HasForeignKey(s => s.TrainingRunId).OnDelete(DeleteBehavior.SetNull);
    }
}
