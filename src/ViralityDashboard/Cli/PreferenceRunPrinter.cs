using ViralityDashboard.Core.Ml;
using System.Globalization;
using Spectre.Console;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

/// <summary>How <c>train --kind preference</c> prints a finished run: the milestone reached, what the next unlocks, the models.</summary>
internal static class PreferenceRunPrinter
{
    public static void Print(PreferenceRunDetail detail, bool asJson)
    {
        var run = detail.Run;
        var plan = detail.Result?.Plan;
        if (asJson)
        {
            CliOutput.WriteJson(new
            {
                RunId = run.Id,
                Kind = ModelKind.Preference,
                run.Status,
                run.Trigger,
                run.RowCount,
                Milestone = plan?.Milestone,
                plan?.Summary,
                plan?.Next,
                plan?.NextUnlocks,
                plan?.RowsToNext,
                run.VersionTag,
                Activated = run.GateDecision == GateVerdict.Accepted,
                run.GateDecision,
                detail.GateReasons,
                detail.Warnings,
                run.Error,
                detail.TriggerDetails,
                detail.Timings,
                detail.Result,
            });
            return;
        }
        var color = run.Status switch { RunStatus.Completed => "green", RunStatus.SkippedByGate => "yellow", _ => "red" };
        AnsiConsole.MarkupLineInterpolated($"Preference run {run.Id}: [{color}]{run.Status.Wire()}[/] ({run.Trigger.Wire()}), {run.RowCount:N0} rated videos, version {run.VersionTag ?? "-"}");
        if (run.Error is not null)
            AnsiConsole.MarkupLineInterpolated($"[red]{run.Error}[/]");
        if (plan is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"milestone: [bold]{plan.Milestone}[/] — {plan.Summary}");
            if (plan.NextUnlocks is not null)
                AnsiConsole.MarkupLineInterpolated($"next: {plan.NextUnlocks}");
        }
        if (detail.Result?.Snapshot is { } snapshot)
        {
            var table = new Table().AddColumn("top positive").AddColumn(new TableColumn("r").RightAligned()).AddColumn("level")
                .AddColumn("top negative").AddColumn(new TableColumn("r").RightAligned()).AddColumn("level");
            for (var i = 0; i < Math.Min(10, Math.Max(snapshot.TopPositive.Count, snapshot.TopNegative.Count)); i++)
            {
                var p = snapshot.TopPositive.ElementAtOrDefault(i);
                var n = snapshot.TopNegative.ElementAtOrDefault(i);
                table.AddRow(Markup.Escape(p?.Feature ?? ""), R(p), p?.Level.ToString() ?? "", Markup.Escape(n?.Feature ?? ""), R(n), n?.Level.ToString() ?? "");
            }
            AnsiConsole.Write(table);
            var confirmed = snapshot.Expected.Count(e => e.Outcome == ExpectationOutcome.Confirmed);
            AnsiConsole.WriteLine($"expected correlations confirmed: {confirmed} of {snapshot.Expected.Count}; high {snapshot.HighCount}, medium {snapshot.MediumCount}, low {snapshot.LowCount}");
        }
        if (detail.Result is { Candidates.Count: > 0 } result)
        {
            var table = new Table().AddColumn("model").AddColumn("features").AddColumn(new TableColumn("test MAE").RightAligned()).AddColumn(new TableColumn("RMSE").RightAligned())
                .AddColumn(new TableColumn("R²").RightAligned()).AddColumn(new TableColumn("CV MAE").RightAligned()).AddColumn(new TableColumn("mean baseline MAE").RightAligned());
            foreach (var c in result.Candidates)
                table.AddRow($"{c.Kind}{(c.Kind == result.SelectedKind ? " ✓" : "")}", $"{c.FeatureCount}", F(c.Test.Mae), F(c.Test.Rmse), F(c.Test.R2),
                    c.CrossValidation is { } cv ? $"{F(cv.MaeMean)} ± {F(cv.MaeStd)}" : "", F(c.MeanBaseline.Mae));
            foreach (var d in result.Dimensions)
                table.AddRow($"  {d.Dimension}", $"{d.Evaluation.FeatureCount}", F(d.Evaluation.Test.Mae), F(d.Evaluation.Test.Rmse), F(d.Evaluation.Test.R2), "", F(d.Evaluation.MeanBaseline.Mae));
            AnsiConsole.Write(table);
            if (result.Selected is { } selected)
                AnsiConsole.MarkupLineInterpolated($"verdict: {selected.Verdict.Summary}");
            if (result.PrunedFeatures.Count > 0)
                AnsiConsole.WriteLine($"pruned {result.PrunedFeatures.Count} features with |r| < 0.1");
        }
        foreach (var reason in detail.GateReasons)
            AnsiConsole.MarkupLineInterpolated($"gate: {reason}");
        foreach (var warning in detail.Warnings)
            AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string R(FeatureCorrelation? c) => c is null ? "" : c.R.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
}
