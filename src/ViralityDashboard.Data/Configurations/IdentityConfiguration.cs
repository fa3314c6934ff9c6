using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Data.Configurations;

/// <summary>
/// ASP.NET Core Identity's tables in snake_case like every other table. Identity names its tables and three
/// indexes explicitly (<c>AspNetUsers</c>, <c>UserNameIndex</c>…), which the naming convention leaves alone.
/// </summary>
/// <remarks>
/// The names are Identity's own, snake_cased (<c>asp_net_users</c>), not shorter ones such as <c>users</c>:
/// the keys and foreign keys are already named <c>pk_asp_net_users</c>… by the convention, so the
/// <c>SnakeCaseIdentity</c> migration only renames the tables and those three indexes in place, and anyone
/// who knows Identity still recognises them. Runs after Identity's own mapping (see <see cref="ViralityDbContext"/>).
/// </remarks>
internal sealed class IdentityConfiguration :
    IEntityTypeConfiguration<ApplicationUser>,
    IEntityTypeConfiguration<IdentityRole>,
    IEntityTypeConfiguration<IdentityUserRole<string>>,
    IEntityTypeConfiguration<IdentityUserClaim<string>>,
    IEntityTypeConfiguration<IdentityUserLogin<string>>,
    IEntityTypeConfiguration<IdentityUserToken<string>>,
    IEntityTypeConfiguration<IdentityRoleClaim<string>>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> b)
    {
        b.ToTable("asp_net_users");
        b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("ix_asp_net_users_normalized_user_name");
        b.HasIndex(u => u.NormalizedEmail).HasDatabaseName("ix_asp_net_users_normalized_email");
    }

    public void Configure(EntityTypeBuilder<IdentityRole> b)
    {
        b.ToTable("asp_net_roles");
        b.HasIndex(r => r.NormalizedName).HasDatabaseName("ix_asp_net_roles_normalized_name");
    }

    public void Configure(EntityTypeBuilder<IdentityUserRole<string>> b) => b.ToTable("asp_net_user_roles");

    public void Configure(EntityTypeBuilder<IdentityUserClaim<string>> b) => b.ToTable("asp_net_user_claims");

    public void Configure(EntityTypeBuilder<IdentityUserLogin<string>> b) => b.ToTable("asp_net_user_logins");

    public void Configure(EntityTypeBuilder<IdentityUserToken<string>> b) => b.ToTable("asp_net_user_tokens");

    public void Configure(EntityTypeBuilder<IdentityRoleClaim<string>> b) => b.ToTable("asp_net_role_claims");
}
