using ViralityDashboard.Core.Ml;
using System.CommandLine;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Data.Import;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;

namespace ViralityDashboard.Cli;

/// <summary>
/// The verbs of the one executable. <c>dashboard VERB …</c> runs a verb; no verb (or only options such as
/// <c>--urls</c> and <c>--data-dir</c>) starts the web app.
/// </summary>
internal static class CommandLineApp
{
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || args[0] is "--help" or "-h" or "-?" or "--version");

    public static async Task<int> RunAsync(string[] args)
    {
        // Piped or redirected, Spectre.Console assumes 80 columns and wraps every longer line and table cell there;
        // a file or a script has no width, so lines stay whole (tables still take only the width they need).
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = RedirectedWidth;
        var parsed = CreateRoot().Parse(args);
        try
        {
            // Without this System.CommandLine prints its own "Unhandled exception" dump and the catch below never runs.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is EmbeddedPostgresException or ImportFormatException or StrictImportException or FileNotFoundException or DirectoryNotFoundException or Npgsql.NpgsqlException or InvalidOperationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private const int RedirectedWidth = 4096;

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("ViralityDashboard: rate short videos, calibrate tiers, train and serve virality models. Run without a verb to start the web app.");
        root.Options.Add(Common.DataDir);
        root.Subcommands.Add(ImportVerb.Create());
        root.Subcommands.Add(SeedDemoVerb.Create());
        root.Subcommands.Add(StatsVerb.Create());
        root.Subcommands.Add(BenchImportVerb.Create(BenchCli.Instance));
        root.Subcommands.Add(CalibrateVerb.Create());
        root.Subcommands.Add(TrainVerb.Create());
        root.Subcommands.Add(ExportTrainingVerb.Create());
        root.Subcommands.Add(CompareRowsVerb.Create());
        root.Subcommands.Add(ExportRatingsVerb.Create());
        root.Subcommands.Add(ModelsVerb.Create());
        root.Subcommands.Add(PredictVerb.Create());
        root.Subcommands.Add(BacktestVerb.Create());
        root.Subcommands.Add(BenchTrainVerb.Create(BenchCli.Instance));
        root.Subcommands.Add(UsersVerb.Create());
        root.Subcommands.Add(BenchPagesVerb.Create(BenchCli.Instance));
        root.Subcommands.Add(BenchServeVerb.Create(BenchCli.Instance));
        root.Subcommands.Add(MonitorVerb.Create());
        root.Subcommands.Add(PruneLogVerb.Create());
        root.Subcommands.Add(BenchMonitorVerb.Create(BenchCli.Instance));
        root.Subcommands.Add(BenchRetentionVerb.Create(BenchCli.Instance));
        return root;
    }
}

/// <summary>Options every verb shares.</summary>
internal static class Common
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Folder of the embedded PostgreSQL cluster (ignored when ConnectionStrings__Virality is set)",
        Recursive = true,
    };

    /// <summary>
    /// An option's value inside a command validator. Validators see <c>default(T)</c> rather than the option's
    /// <c>DefaultValueFactory</c> when the option is left out (dotnet/command-line-api#2841), so the caller passes the
    /// default it declared.
    /// </summary>
    public static T ValueOr<T>(this System.CommandLine.Parsing.CommandResult result, Option<T> option, T whenOmitted) =>
        result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : whenOmitted;

    /// <summary>An option taking one of an enum's wire names; a usage error lists them, as for any choice.</summary>
    public static Option<T?> Choice<T>(string name, string description, IEnumerable<T>? allowed = null) where T : struct, Enum
    {
        var option = new Option<T?>(name)
        {
            Description = description,
            CustomParser = r => WireNames.TryParse<T>(r.Tokens.SingleOrDefault()?.Value, out var value) ? value : null,
        };
        option.AcceptOnlyFromAmong([.. allowed?.Select(a => a.Wire()) ?? WireNames.Of<T>()]);
        return option;
    }

    /// <summary>An option taking one of a closed record's names (feature sets, tier schemes).</summary>
    public static Option<T?> Choice<T>(string name, string description, IReadOnlyList<T> all, Func<T, string> nameOf) where T : class
    {
        var option = new Option<T?>(name)
        {
            Description = description,
            CustomParser = r => all.FirstOrDefault(x => nameOf(x) == r.Tokens.SingleOrDefault()?.Value),
        };
        option.AcceptOnlyFromAmong([.. all.Select(nameOf)]);
        return option;
    }

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object as the last line of output" };
}
