using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Cli;

/// <summary><c>monitor</c>: each engagement version's realized accuracy per week against its served accuracy at training (test accuracy when it has none).</summary>
internal static class MonitorVerb
{
    private const int DefaultWeeks = 12;

    public static Command Create()
    {
        var version = new Option<string?>("--version") { Description = "Only this engagement version (tag); default: those with matured predictions, the active and shadow ones" };
        var weeks = new Option<int>("--weeks") { Description = "The last N weeks with matured predictions, per version", DefaultValueFactory = _ => DefaultWeeks };
        var json = Common.Json();
        var command = new Command("monitor", "Realized accuracy, macro-F1 and kappa per week of each engagement version, beside its served and test accuracy") { version, weeks, json };
        command.Validators.Add(r =>
        {
            if (r.ValueOr(weeks, DefaultWeeks) < 1)
                r.AddError("--weeks must be 1 or more");
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            MonitoringReport report;
            try
            {
                report = await host.Get<IMonitoringQueries>().GetAsync(parse.GetValue(version), parse.GetValue(weeks), ct);
            }
            catch (ModelRegistryException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            if (parse.GetValue(json))
                CliOutput.WriteJson(report);
            else
                Print(report);
            return 0;
        });
        return command;
    }

    private static void Print(MonitoringReport report)
    {
        var log = report.Log;
        AnsiConsole.MarkupLine(FormattableString.Invariant($"Prediction log: {(log.RowsIsEstimate ? "about " : "")}{log.Rows:N0} rows, {log.Bytes / 1048576d:0.0} MiB; ") +
            (log.Retention.Enabled
                ? $"kept: served {log.Retention.ServedDays} days, preference {log.Retention.PreferenceDays} days, scoring {log.Retention.MaturedScoringDays} days after its outcome"
                : "retention off (everything kept)"));
        if (report.Versions.Count == 0)
        {
            AnsiConsole.MarkupLine("No engagement version is active, in shadow or has matured predictions yet: train one, then the scoring job logs what it says about new videos.");
            return;
        }
        var few = false;
        foreach (var v in report.Versions)
        {
            var role = v.IsActive ? "[green]active[/]" : v.IsShadow ? "[yellow]shadow[/]" : "inactive";
            AnsiConsole.MarkupLineInterpolated($"[bold]{v.Tag}[/] ({v.FeatureSet}, trained {v.TrainedAt.UtcDateTime:yyyy-MM-dd}; weeks are Mondays, UTC)");
            AnsiConsole.MarkupLine($"  {role} · served accuracy {Score(v.ServedAccuracy)} · test accuracy {Score(v.TestAccuracy)} · test macro-F1 {Score(v.TestMacroF1)}");
            if (v.NoLaterSnapshot > 0)
                AnsiConsole.MarkupLine(FormattableString.Invariant($"  {v.NoLaterSnapshot:N0} predictions of videos first seen already mature: not counted (no snapshot after their inputs)"));
            if (v.InTraining > 0)
                AnsiConsole.MarkupLine(FormattableString.Invariant($"  {v.InTraining:N0} predictions of videos it was trained on (first seen by its newest training video): not counted"));
            if (v.Weeks.Count == 0)
            {
                AnsiConsole.MarkupLine("  no matured predictions yet");
                continue;
            }
            // Fits 80 columns; within-one accuracy and the confusion counts are in --json.
            var table = new Table().AddColumn("week").AddColumn("kind").AddColumn(new TableColumn("matured").RightAligned()).AddColumn(new TableColumn("accuracy").RightAligned())
                .AddColumn(new TableColumn("95 % interval")).AddColumn(new TableColumn(v.Basis == AccuracyBasis.Served ? "vs served" : "vs test").RightAligned()).AddColumn(new TableColumn("macro-F1").RightAligned()).AddColumn(new TableColumn("kappa").RightAligned());
            foreach (var w in v.Weeks)
            {
                var small = w.Matured < MonitoringQueries.FewMatured;
                few |= small;
                table.AddRow($"{w.Week:yyyy-MM-dd}", w.Backfill ? "backtest" : "live", $"{w.Matured:N0}{(small ? "*" : "")}", Score(w.Accuracy), $"{Score(w.AccuracyLow)}–{Score(w.AccuracyHigh)}",
                    v.ExpectedAccuracy is { } t ? (w.Accuracy - t).ToString("+0.000;-0.000;0.000", System.Globalization.CultureInfo.InvariantCulture) : "—",
                    Score(w.MacroF1), Score(w.Kappa));
            }
            AnsiConsole.Write(table);
        }
        if (few)
            AnsiConsole.MarkupLine($"* fewer than {MonitoringQueries.FewMatured} matured predictions: read the interval rather than the figure.");
        if (report.Versions.Any(v => v.Weeks.Any(w => w.Backfill)))
            AnsiConsole.MarkupLine("backtest: videos first seen before the version came into play, scored when it did; live: videos that arrived while it served (the drift trigger reads only these).");
    }

    private static string Score(double? value) => value is { } v ? v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
