using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Training;
using Microsoft.Extensions.Configuration;

namespace ViralityDashboard.IntegrationTests.Fixtures;

/// <summary>
/// One real PostgreSQL cluster per test run, started by the same embedded manager the app uses.
/// Migrations run once into a template database; each test gets a fresh copy of it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string Template = "virality_template";
    private int _databases;

    public EmbeddedPostgres Server { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"virality-tests-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Server = await EmbeddedPostgres.StartAsync(DataDirectory, NullLogger.Instance);
        await ExecuteAsync($"CREATE DATABASE {Template}");
        using var host = BuildHost(ConnectionStringFor(Template));
        await host.Services.MigrateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    /// <summary>A new, migrated, empty database with the app's data and training services wired to it.</summary>
    /// <param name="settings">Configuration for this host, e.g. <c>["Virality:Training:GateMinimumAccuracy"] = "0"</c>.</param>
    public async Task<TestDatabase> CreateDatabaseAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {Template}");
        var cs = ConnectionStringFor(name);
        return new TestDatabase(cs, BuildHost(cs, settings));
    }

    /// <summary>A new database with no migrations applied, for tests that migrate it step by step.</summary>
    public async Task<TestDatabase> CreateUnmigratedDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE {name}");
        var cs = ConnectionStringFor(name);
        return new TestDatabase(cs, BuildHost(cs));
    }

    /// <summary>A second host (another "process") over an existing test database, with its own settings.</summary>
    public TestDatabase Attach(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(database.ConnectionString, BuildHost(database.ConnectionString, settings));

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = database }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        NpgsqlConnection.ClearAllPools(); // CREATE DATABASE … TEMPLATE needs the template to have no sessions
        await using var conn = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static IHost BuildHost(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddDatabase(new DatabaseEndpoint(connectionString, IsEmbedded: false));
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddDataServices();
        builder.AddTrainingServices();
        return builder.Build();
    }
}

public sealed class TestDatabase(string connectionString, IHost host) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;
    public IServiceProvider Services => host.Services;
    public T Get<T>() where T : notnull => host.Services.GetRequiredService<T>();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (host is IAsyncDisposable d)
            await d.DisposeAsync();
        else
            host.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
