using System.CommandLine;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;

namespace ViralityDashboard.Cli;

/// <summary>The command line's shared pieces, handed to the benchmark verbs that live in ViralityDashboard.DemoAndBenchmarks.</summary>
internal sealed class BenchCli : IBenchCli
{
    public static readonly BenchCli Instance = new();

    public Option<string?> DataDir => Common.DataDir;

    public Option<bool> Json() => Common.Json();

    public void WriteJson<T>(T value) => CliOutput.WriteJson(value);

    public async Task<IBenchHost> StartHostAsync(string? dataDir, CancellationToken ct) => await CliHost.StartAsync(dataDir, ct);
}
