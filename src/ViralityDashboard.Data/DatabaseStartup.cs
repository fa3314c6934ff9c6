using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.Data;

/// <summary>Chooses the database before anything is registered: the configured server, or the embedded one.</summary>
public static class DatabaseStartup
{
    public const string ConnectionStringName = "Virality";

    /// <summary>
    /// With <c>ConnectionStrings:Virality</c> set, returns null and starts nothing. Otherwise starts (or joins)
    /// the embedded cluster and writes its connection string into configuration, so everything downstream
    /// reads one ordinary connection string. Dispose the result to stop the cluster.
    /// </summary>
    public static async Task<EmbeddedPostgres?> StartDatabaseAsync(this IHostApplicationBuilder builder, ILogger logger, CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ConnectionStringName)))
            return null;
        var dataDir = builder.Configuration[$"{DataOptions.Section}:{nameof(DataOptions.DataDir)}"];
        var server = await EmbeddedPostgres.StartAsync(string.IsNullOrWhiteSpace(dataDir) ? EmbeddedPostgres.DefaultDataDirectory() : dataDir, logger, ct);
        builder.Configuration[$"ConnectionStrings:{ConnectionStringName}"] = server.ConnectionString;
        builder.Configuration[$"{DataOptions.Section}:UsingEmbeddedDatabase"] = "true";
        return server;
    }

    public static bool UsesEmbeddedDatabase(this IConfiguration configuration) =>
        configuration.GetValue<bool>($"{DataOptions.Section}:UsingEmbeddedDatabase");

    /// <summary>Applies migrations (EF Core holds a lock, so two processes starting together are safe).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        if (!services.GetRequiredService<IOptions<DataOptions>>().Value.ApplyMigrations)
            return;
        // Its own quiet context: on an empty database EF Core reads the history table before creating it and
        // logs that expected failure as an error, which would greet every new user.
        var options = new DbContextOptionsBuilder<ViralityDbContext>();
        ViralityDbContext.Configure(options, services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)!);
        options.UseLoggerFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var db = new ViralityDbContext(options.Options);
        await db.Database.MigrateAsync(ct);
    }
}
