using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> b)
    {
        b.ToTable("model_versions", t =>
        {
            t.HasCheckConstraint("ck_model_versions_active_status", "NOT is_active OR status = 'active'");
            // The champion is not its own challenger, and a rejected version never predicts.
            t.HasCheckConstraint("ck_model_versions_shadow_status", "NOT is_shadow OR status = 'inactive'");
        });
        b.Property(m => m.VersionTag).HasMaxLength(64);
        b.HasIndex(m => m.VersionTag).IsUnique();
        b.Property(m => m.Kind).HasWireConversion().HasMaxLength(32);
        b.Property(m => m.Status).HasWireConversion().HasMaxLength(16);
        b.Property(m => m.FeatureSet).HasMaxLength(64);
        b.Property(m => m.TierScheme).HasMaxLength(32);
        b.Property(m => m.Trainer).HasMaxLength(32);
        b.Property(m => m.Thresholds).HasColumnType("jsonb");
        b.Property(m => m.FeatureWeights).HasColumnType("jsonb");
        b.Property(m => m.Metrics).HasColumnType("jsonb");
        b.Property(m => m.NormalizationConfig).HasColumnType("jsonb");
        // The database, not the application, guarantees at most one active version per kind and feature set.
        b.HasIndex(m => new { m.Kind, m.FeatureSet }).IsUnique().HasFilter("is_active").HasDatabaseName("ux_model_versions_one_active_per_kind_and_feature_set");
        b.HasIndex(m => new { m.Kind, m.TrainedAt });
        b.HasOne<TrainingRun>().WithMany().HasForeignKey(m => m.TrainingRunId).OnDelete(DeleteBehavior.SetNull);
    }
}
