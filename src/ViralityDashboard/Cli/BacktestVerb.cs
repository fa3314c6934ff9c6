using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Cli;

/// <summary><c>backtest --version TAG [--from DATE] [--json]</c>: how a version would have done on the videos that have matured.</summary>
internal static class BacktestVerb
{
    public static Command Create()
    {
        var version = new Option<string>("--version") { Description = "The engagement version to backtest (any not rejected by the gate)", Required = true };
        var from = new Option<string?>("--from") { Description = "Only videos first seen on or after this date (YYYY-MM-DD, UTC); default: all" };
        var json = Common.Json();
        var command = new Command("backtest", "Score a version on every matured video since a date, judged by its own tiers, week by week (nothing is logged)") { version, from, json };
        command.SetAction(async (parse, ct) =>
        {
            // Parsed before the database starts: a bad date is the user's to fix, exit 2 like any bad option.
            var since = BacktestService.ParseFrom(parse.GetValue(from));
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            BacktestReport report;
            try
            {
                report = await host.Get<BacktestService>().RunAsync(parse.GetValue(version)!, since, ct);
            }
            catch (Exception e) when (e is ModelRegistryException or BacktestRefusedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(report);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"Backtest of {report.Tag} on matured videos first seen {(report.From is { } d ? $"since {d:yyyy-MM-dd}" : "at any time")}:");
            if (report.NoLaterSnapshot > 0)
                AnsiConsole.MarkupLine($"{report.NoLaterSnapshot:N0} videos first seen already mature (no snapshot after the first): not counted.");
            if (report.InTraining > 0)
                AnsiConsole.MarkupLine($"{report.InTraining:N0} videos first seen by the newest video {report.Tag} was trained on (in-sample): not counted.");
            if (report.Weeks.Count == 0)
            {
                AnsiConsole.MarkupLine("no matured videos with a later snapshot than their first.");
                return 0;
            }
            var table = new Table().AddColumn("week");
            foreach (var c in new[] { "matured", "accuracy", "macro-F1", "kappa", "within one" })
                table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var w in report.Weeks)
                table.AddRow($"{w.Week:yyyy-MM-dd}", $"{w.Matured:N0}", $"{w.Accuracy:0.000}", $"{w.MacroF1:0.000}", $"{w.Kappa:0.000}", $"{w.WithinOne:0.000}");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
