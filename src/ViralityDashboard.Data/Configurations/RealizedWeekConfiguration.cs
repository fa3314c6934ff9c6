using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class RealizedWeekConfiguration : IEntityTypeConfiguration<RealizedWeek>
{
    public void Configure(EntityTypeBuilder<RealizedWeek> b)
    {
        b.ToTable("realized_metrics", t =>
            t.HasCheckConstraint("ck_realized_metrics_confusion_5x5", "cardinality(confusion) = 25"));
        b.HasKey(r => new { r.ModelVersionId, r.Week, r.Backfill });
        b.HasOne<ModelVersion>().WithMany().HasForeignKey(r => r.ModelVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}
