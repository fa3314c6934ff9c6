using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ViralityDashboard.Data.Configurations;

/// <summary>
/// ASP.NET Core's Data Protection key ring (it encrypts sign-in cookies and antiforgery tokens), kept in the database so
/// every instance of one database shares it and survives restarts. The package maps only the entity; the name is ours.
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b) => b.ToTable("data_protection_keys");
}
