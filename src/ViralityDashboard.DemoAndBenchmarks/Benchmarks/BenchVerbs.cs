using System.CommandLine;
using Spectre.Console;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>What the benchmark verbs' command lines share.</summary>
internal static class BenchVerbs
{
    /// <summary>Each option refuses a value below its minimum, naming itself.</summary>
    public static void RequireAtLeast(params (Option<int> Option, int Minimum)[] options)
    {
        foreach (var (option, minimum) in options)
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < minimum)
                    r.AddError($"{option.Name} must be at least {minimum}");
            });
    }

    /// <summary>Where progress lines go: standard error under <c>--json</c>, so standard output stays one JSON document.</summary>
    public static Action<string> Progress(bool asJson) =>
        asJson ? line => Console.Error.WriteLine(line) : line => AnsiConsole.WriteLine(line);
}
