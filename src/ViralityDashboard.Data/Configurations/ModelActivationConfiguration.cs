using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class ModelActivationConfiguration : IEntityTypeConfiguration<ModelActivation>
{
    public void Configure(EntityTypeBuilder<ModelActivation> b)
    {
        b.ToTable("model_activations");
        b.Property(a => a.Kind).HasWireConversion().HasMaxLength(32);
        b.Property(a => a.Action).HasWireConversion().HasMaxLength(16);
        b.Property(a => a.ChangedBy).HasMaxLength(256);
        b.HasIndex(a => new { a.Kind, a.ChangedAt });
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(a => a.FromVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(a => a.ToVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}
