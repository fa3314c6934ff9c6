using ViralityDashboard.Data;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.DemoAndBenchmarks;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

/// <summary>The services a verb needs: the same database resolution and registrations as the web app, without the web.</summary>
internal sealed class CliHost : IBenchHost
{
    private readonly IHost _host;
    private readonly EmbeddedPostgres? _database;

    private CliHost(IHost host, EmbeddedPostgres? database)
    {
        _host = host;
        _database = database;
    }

    public IServiceProvider Services => _host.Services;
    /// <summary>The database the verb works on; the benchmarks create their scratch databases next to it.</summary>
    public DatabaseEndpoint Database => _host.Services.GetRequiredService<DatabaseEndpoint>();

    public static async Task<CliHost> StartAsync(string? dataDir, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        if (!string.IsNullOrWhiteSpace(dataDir))
            builder.Configuration[$"{DataOptions.Section}:{nameof(DataOptions.DataDir)}"] = dataDir;
        // Verbs print their own output; information logs would bury it. The config's "Default: Information"
        // (appsettings.json, for the web app) outranks SetMinimumLevel, so it is overridden here. Logs go to
        // stderr, so `--json` output on stdout stays parseable. A verb that starts the clustered scheduler removes its
        // check-in row when it leaves (SchedulerShutdown), but one that was killed still looks failed to the next node
        // ("detected failed or restarted instances"), which recovers it: a warning the user can do nothing about, so only Quartz's errors show.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Quartz"] = "Error";
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        using var loggerFactory = LoggerFactory.Create(l => l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        var database = await builder.StartDatabaseAsync(loggerFactory.CreateLogger("Database"), ct);
        try
        {
            builder.AddDataServices();
            builder.AddTrainingServices();
            builder.AddDemoServices();
            builder.Services.AddUserStore();
            builder.AddCommandLineTelemetry();
            var host = builder.Build();
            host.Services.StartTelemetry();
            // The host is never started, so run the options' ValidateOnStart checks here: a bad setting
            // becomes one "error:" line instead of a failure deep inside the first service that reads it.
            host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            await host.Services.MigrateDatabaseAsync(ct);
            return new CliHost(host, database);
        }
        catch
        {
            if (database is not null)
                await database.DisposeAsync();
            throw;
        }
    }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
