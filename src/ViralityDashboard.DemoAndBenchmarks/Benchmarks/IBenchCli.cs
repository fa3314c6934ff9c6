using System.CommandLine;
using ViralityDashboard.Data;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// What the benchmark verbs take from the executable's command line, which references this project rather than
/// the other way round: the shared <c>--data-dir</c> option, the services host every verb starts, and the
/// <c>--json</c> option and output.
/// </summary>
public interface IBenchCli
{
    Option<string?> DataDir { get; }

    Option<bool> Json();

    void WriteJson<T>(T value);

    Task<IBenchHost> StartHostAsync(string? dataDir, CancellationToken ct);
}

/// <summary>The executable's verb host: its database resolution and registrations, without the web.</summary>
public interface IBenchHost : IAsyncDisposable
{
    IServiceProvider Services { get; }

    /// <summary>The database the host resolved (embedded cluster or configured server).</summary>
    DatabaseEndpoint Database { get; }
}
