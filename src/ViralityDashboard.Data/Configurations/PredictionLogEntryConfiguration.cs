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
        b.Property(p => p.InputsHash).HasMaxLength(64).IsFixedLength();
        // No foreign key to model_versions: an append-only log written in batches should not pay for a
        // lookup per row, and versions are never deleted.
        b.HasIndex(p => new { p.ModelVersionId, p.ServedAt });
        b.HasIndex(p => p.InputsHash);
    }
}
