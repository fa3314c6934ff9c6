using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Configurations;

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> b)
    {
        b.ToTable("installation", t => t.HasCheckConstraint("ck_installation_one_row", "key = 1"));
        b.HasKey(i => i.Key);
        b.Property(i => i.Key).ValueGeneratedNever();
        // Drawn by the database (PostgreSQL 13+), so a row inserted by the migration or by hand gets its own id.
        b.Property(i => i.Id).HasDefaultValueSql("gen_random_uuid()");
        b.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
    }
}
