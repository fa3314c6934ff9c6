using System.Runtime.InteropServices;
using Npgsql;

namespace ViralityDashboard.Data;

/// <summary>
/// Connections for the app's background work on the database: a training run's reads (its percentiles and a million
/// rows), and the monitoring jobs' scoring and maturing passes. A PostgreSQL backend is a process of its own at normal
/// priority, so while one of them sorted or updated a million rows it took a core from the pages and the API as much
/// as any request did (the Training page's slowest renders during a retrain came then). On the embedded cluster, which
/// runs on this machine under this app, each backend of this pool runs at nice 10 (as the training threads do): a
/// request's backend or thread that wants the same core gets it. With a configured server the backends are someone
/// else's processes, usually on another machine, and keep their priority.
/// </summary>
public sealed class BackgroundDatabase : IAsyncDisposable
{
    public const int Nice = 10;

    public BackgroundDatabase(DatabaseEndpoint endpoint)
    {
        var builder = new NpgsqlDataSourceBuilder(endpoint.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName = "virality-background";
        LowersBackendPriority = endpoint.IsEmbedded && OperatingSystem.IsLinux();
        if (LowersBackendPriority)
        {
            // Once per physical connection: the pool only ever hands these backends to background work.
            builder.UsePhysicalConnectionInitializer(
                conn => Lower(conn.ProcessID),
                conn =>
                {
                    Lower(conn.ProcessID);
                    return Task.CompletedTask;
                });
        }
        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>True when this pool's backends run at <see cref="Nice"/> (the embedded cluster, on Linux).</summary>
    public bool LowersBackendPriority { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct = default) => DataSource.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    // Best effort: where it is refused (another user's cluster), the backend keeps its priority and the work is as before.
    private static void Lower(int backendPid) => _ = SetPriority(PrioProcess, backendPid, Nice);

    private const int PrioProcess = 0;

#pragma warning disable SYSLIB1054 // one blittable call: LibraryImport would need unsafe code for nothing
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);
#pragma warning restore SYSLIB1054
}
