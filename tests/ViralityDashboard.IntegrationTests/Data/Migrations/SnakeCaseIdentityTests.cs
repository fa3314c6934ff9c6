using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Identity;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Migrations;

public sealed class SnakeCaseIdentityTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string MigrationBefore = "20261124124607_ScrapedVideoPageIndexes";
    private const string Password = "correct horse battery";

    [Fact]
    public async Task AnAccountCreatedBeforeTheRenameStillSignsInWithItsRoleAfterIt()
    {
        await using var db = await postgres.CreateUnmigratedDatabaseAsync();
        var contexts = db.Get<IDbContextFactory<ViralityDbContext>>();
        await using (var ctx = await contexts.CreateDbContextAsync())
            await ctx.GetService<IMigrator>().MigrateAsync(MigrationBefore);
        await InsertOwnerIntoTheOldTablesAsync(db.ConnectionString);

        await using (var ctx = await contexts.CreateDbContextAsync())
            await ctx.Database.MigrateAsync();

        await using var services = new ServiceCollection()
            .AddLogging()
            .AddScoped(_ => contexts.CreateDbContext())
            .AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<ViralityDbContext>().Services
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync("alice");
        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, Password));
        Assert.True(await users.IsInRoleAsync(user, Roles.Owner));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'AspNet%'"));
    }

    /// <summary>Plain SQL against the names the Identity migration created: the model no longer knows them.</summary>
    private static async Task InsertOwnerIntoTheOldTablesAsync(string connectionString)
    {
        var user = new ApplicationUser { UserName = "alice", NormalizedUserName = "ALICE", SecurityStamp = Guid.NewGuid().ToString() };
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(user, Password);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO "AspNetRoles" (id, name, normalized_name, concurrency_stamp) VALUES ('role-owner', 'Owner', 'OWNER', 'c1');
            INSERT INTO "AspNetUsers" (id, user_name, normalized_user_name, password_hash, security_stamp, concurrency_stamp,
                                       email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
                VALUES (@id, @name, @normalized, @hash, @stamp, 'c2', false, false, false, true, 0);
            INSERT INTO "AspNetUserRoles" (user_id, role_id) VALUES (@id, 'role-owner');
            """, conn);
        cmd.Parameters.AddWithValue("id", user.Id);
        cmd.Parameters.AddWithValue("name", user.UserName);
        cmd.Parameters.AddWithValue("normalized", user.NormalizedUserName);
        cmd.Parameters.AddWithValue("hash", hash);
        cmd.Parameters.AddWithValue("stamp", user.SecurityStamp);
        await cmd.ExecuteNonQueryAsync();
    }
}
