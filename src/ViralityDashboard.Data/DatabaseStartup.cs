using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.Data;

/// <summary>Chooses the database before anything is registered: the configured server, or the embedded one.</summary>
public static class DatabaseStartup
{
    public const string ConnectionStringName = "Virality";

    /// <summary>
    /// With <c>ConnectionStrings:Virality</c> set, registers that server, starts nothing and returns null.
    /// Otherwise starts (or joins) the embedded cluster and registers it, with a hosted service that restarts it if
    /// it dies. This is the only place the connection string is read from configuration. Dispose the result to stop
    /// the cluster.
    /// </summary>
    public static async Task<EmbeddedPostgres?> StartDatabaseAsync(this IHostApplicationBuilder builder, ILogger logger, CancellationToken ct = default)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            builder.AddDatabase(new DatabaseEndpoint(configured, IsEmbedded: false));
            return null;
        }
        var dataDir = builder.Configuration[$"{DataOptions.Section}:{nameof(DataOptions.DataDir)}"];
        var server = await EmbeddedPostgres.StartAsync(string.IsNullOrWhiteSpace(dataDir) ? EmbeddedPostgres.DefaultDataDirectory() : dataDir,
            builder.Configuration[PostgresBinaries.OverrideSetting], logger, ct);
        builder.AddDatabase(new DatabaseEndpoint(server.ConnectionString, IsEmbedded: true));
        // Restarts the cluster if its postmaster dies. The instance stays the caller's to dispose (the container
        // does not dispose instances it was given).
        builder.Services.AddSingleton(server);
        builder.Services.AddHostedService<EmbeddedPostgresSupervisor>();
        return server;
    }

    /// <summary>
    /// Registers the database: the <see cref="DatabaseEndpoint"/> and one <see cref="NpgsqlDataSource"/> over it
    /// (also as <see cref="DbDataSource"/>, which Quartz's store asks for), shared by EF Core, Quartz and the
    /// training lock. The container owns the data source and closes its connections when it is disposed.
    /// </summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder, DatabaseEndpoint endpoint)
    {
        builder.Services.AddSingleton(endpoint);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(endpoint.ConnectionString));
        builder.Services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        return builder;
    }

    /// <summary>Applies migrations (EF Core holds a lock, so two processes starting together are safe).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        if (!services.GetRequiredService<IOptions<DataOptions>>().Value.ApplyMigrations)
            return;
        // Its own quiet context: on an empty database EF Core reads the history table before creating it and
        // logs that expected failure as an error, which would greet every new user.
        var options = new DbContextOptionsBuilder<ViralityDbContext>();
        ViralityDbContext.Configure(options, services.GetRequiredService<NpgsqlDataSource>());
        options.UseLoggerFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var db = new ViralityDbContext(options.Options);
        await db.Database.MigrateAsync(ct);
    }
}
