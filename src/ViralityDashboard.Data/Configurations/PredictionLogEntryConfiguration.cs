using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class PredictionLogEntryConfiguration : IEntityTypeConfiguration<PredictionLogEntry>
{
    public void Configure(EntityTypeBuilder<PredictionLogEntry> b)
    {
        b.ToTable("prediction_log");
        b.Property(p => p.Kind).HasWireConversion().HasMaxLength(32);
        b.Property(p => p.Source).HasWireConversion().HasMaxLength(16);
        b.Property(p => p.FeatureSet).HasMaxLength(64);
        b.Property(p => p.InputsHash).HasMaxLength(64).IsFixedLength();
        b.Property(p => p.Features).HasColumnType("jsonb");
        // No foreign key to model_versions: an append-only log written in batches should not pay for a
        // lookup per row, and versions are never deleted.
        b.HasIndex(p => new { p.ModelVersionId, p.ServedAt });
        b.HasIndex(p => p.InputsHash);
        // The scoring job's "not yet scored" anti-join, and a version's predictions of one video.
        b.HasIndex(p => new { p.VideoId, p.ModelVersionId }).HasFilter("video_id IS NOT NULL");
        // What the maturing job looks for: predictions of known videos still waiting for their outcome.
        b.HasIndex(p => p.VideoId).HasFilter("video_id IS NOT NULL AND outcome_tier IS NULL").HasDatabaseName("ix_prediction_log_awaiting_outcome");
    }
}
