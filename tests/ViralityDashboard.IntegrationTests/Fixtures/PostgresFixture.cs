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
/// One real PostgreSQL cluster per test process, started by the same embedded manager the app uses, and shared by
/// every instance of this fixture: the <see cref="PostgresCollection"/>'s and each test class's own
/// (<c>IClassFixture&lt;PostgresFixture&gt;</c>), so classes run side by side on it. Migrations run once into a
/// template database; each test gets a fresh copy of it, so parallel tests never see each other's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private const string Template = "virality_template";

    // The cluster lives while any fixture instance does: the first to start starts it, the last to stop stops it.
    private static readonly SemaphoreSlim Lifetime = new(1, 1);
    private static (EmbeddedPostgres Server, string DataDirectory)? _shared;
    private static int _users;
    private static int _databases;

    private bool _started;

    public EmbeddedPostgres Server { get; private set; } = null!;
    public string DataDirectory { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Lifetime.WaitAsync();
        try
        {
            _shared ??= await StartClusterAsync();
            (Server, DataDirectory) = _shared.Value;
            _users++;
            _started = true;
        }
        finally
        {
            Lifetime.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Lifetime.WaitAsync();
        try
        {
            if (!_started || --_users > 0 || _shared is not { } cluster)
                return;
            _shared = null;
            await cluster.Server.DisposeAsync();
            try
            {
                Directory.Delete(cluster.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a leftover temp folder is harmless
            }
        }
        finally
        {
            _started = false;
            Lifetime.Release();
        }
    }

    private static async Task<(EmbeddedPostgres, string)> StartClusterAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"virality-tests-{Guid.NewGuid():N}");
        var server = await EmbeddedPostgres.StartAsync(dataDirectory, NullLogger.Instance);
        await RelaxDurabilityAsync(server);
        var adminConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString;
        await ExecuteAsync(adminConnectionString, $"CREATE DATABASE {Template}");
        var templateConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = Template }.ConnectionString;
        using (var host = BuildHost(templateConnectionString))
            await host.Services.MigrateDatabaseAsync();
        // CREATE DATABASE … TEMPLATE needs the template to have no sessions: close the migration's pooled ones.
        await using (var template = new NpgsqlConnection(templateConnectionString))
            NpgsqlConnection.ClearPool(template);
        return (server, dataDirectory);
    }

    /// <summary>
    /// A throwaway cluster needs no crash safety: without fsync, each test's CREATE DATABASE (the template's files,
    /// WAL-logged) and the shutdown checkpoint over hundreds of them stop waiting on a disk the whole machine shares.
    /// These settings take effect on a reload, which a SIGHUP to the postmaster asks for (the tests' role is no
    /// superuser, so it cannot ALTER SYSTEM).
    /// </summary>
    private static async Task RelaxDurabilityAsync(EmbeddedPostgres server)
    {
        await File.AppendAllTextAsync(Path.Combine(server.ClusterDirectory, "postgresql.conf"),
            "\n# tests only (PostgresFixture)\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        var pid = File.ReadLines(Path.Combine(server.ClusterDirectory, "postmaster.pid")).First();
        using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", pid]))
            await hup.WaitForExitAsync();
        // The reload is asynchronous: wait until this server reports it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await ShowAsync(server.ConnectionString, "fsync") != "off")
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("The test cluster did not reload fsync = off within 30 s.");
            await Task.Delay(50);
        }
    }

    private static async Task<string?> ShowAsync(string connectionString, string setting)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SHOW {setting}", conn);
        return (string?)await cmd.ExecuteScalarAsync();
    }

    /// <summary>A new, migrated, empty database with the app's data and training services wired to it.</summary>
    /// <param name="settings">Configuration for this host, e.g. <c>["Virality:Training:GateMinimumAccuracy"] = "0"</c>.</param>
    public async Task<TestDatabase> CreateDatabaseAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync(ConnectionStringFor("postgres"), $"CREATE DATABASE {name} TEMPLATE {Template}");
        var cs = ConnectionStringFor(name);
        return new TestDatabase(cs, BuildHost(cs, settings));
    }

    /// <summary>A new database with no migrations applied, for tests that migrate it step by step.</summary>
    public async Task<TestDatabase> CreateUnmigratedDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync(ConnectionStringFor("postgres"), $"CREATE DATABASE {name}");
        var cs = ConnectionStringFor(name);
        return new TestDatabase(cs, BuildHost(cs));
    }

    /// <summary>A second host (another "process") over an existing test database, with its own settings.</summary>
    public TestDatabase Attach(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(database.ConnectionString, BuildHost(database.ConnectionString, settings));

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = database }.ConnectionString;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
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

/// <summary>
/// Tests that must run alone: those capturing process-wide telemetry (<see cref="TelemetryCapture"/>), which would
/// record a parallel test's spans and metrics as theirs. They run after the parallel classes, one at a time. Every
/// other class takes the fixture as <c>IClassFixture&lt;PostgresFixture&gt;</c> and runs beside the rest.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
