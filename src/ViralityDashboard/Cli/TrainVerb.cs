using ViralityDashboard.Core.Engagement;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;
using Quartz;
using Spectre.Console;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Cli;

/// <summary>The options <c>train</c> and <c>export-training</c> share, so an export is exactly a run's rows.</summary>
internal sealed class TrainingChoices(bool allowPreference = false)
{
    public Option<ModelKind?> Kind { get; } = Common.Choice<ModelKind>("--kind",
        allowPreference ? "Model kind: engagement | preference (default: engagement)" : "Model kind (default: engagement)",
        allowPreference ? null : [TrainingRequest.Kind]);
    public Option<FeatureSet?> Features { get; } = Common.Choice("--features", $"Feature set: {string.Join(" | ", FeatureSet.BuiltIn.Select(f => f.Name))} (default from configuration)", FeatureSet.BuiltIn, f => f.Name);
    public Option<TierScheme?> Tiers { get; } = Common.Choice("--tiers", "Tier scheme: views | wes (default from configuration)", TierScheme.BuiltIn, s => s.Name);
    public Option<TrainerKind?> Trainer { get; } = Common.Choice<TrainerKind>("--trainer", $"Trainer: {string.Join(" | ", WireNames.Of<TrainerKind>())} (default from configuration: auto)");
    public Option<TrainingRowsMode?> Rows { get; } = Common.Choice<TrainingRowsMode>("--rows",
        "Rows: point-in-time (features as first seen, tier as matured) | latest (both from the latest counts); default from configuration: point-in-time when enough videos have matured histories");
    public Option<SplitKind?> Split { get; } = Common.Choice("--split", "Split: stratified | hash | time (default from configuration)", TrainingRequest.Splits);

    public void AddTo(Command command)
    {
        command.Options.Add(Kind);
        command.Options.Add(Features);
        command.Options.Add(Tiers);
        command.Options.Add(Trainer);
        command.Options.Add(Split);
        command.Options.Add(Rows);
        // The engagement choices mean nothing to a preference run, whose settings are Virality:Preference.
        command.Validators.Add(r =>
        {
            if (r.GetValue(Kind) == ModelKind.Preference && new Option[] { Features, Tiers, Trainer, Split, Rows }.FirstOrDefault(o => r.GetResult(o) is { Implicit: false }) is { } o)
                r.AddError($"{o.Name} applies to the engagement model only; preference runs take their settings from {PreferenceOptions.Section}");
        });
    }

    public TrainingRequest Request(ParseResult parse) => new(
        parse.GetValue(Features), parse.GetValue(Tiers), parse.GetValue(Trainer), parse.GetValue(Split),
        RequestedBy: $"cli:{Environment.UserName}", ModelKind: parse.GetValue(Kind) ?? TrainingRequest.Kind, Rows: parse.GetValue(Rows));
}

internal static class TrainVerb
{
    public static Command Create()
    {
        var choices = new TrainingChoices(allowPreference: true);
        var json = Common.Json();
        var command = new Command("train", "Run one training run through the Quartz retrain job (queues behind a running one) and print it") { json };
        choices.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var asJson = parse.GetValue(json);
            // This process joins the scheduler cluster for the duration of the launch; any node may run it.
            var scheduler = await host.Get<ISchedulerFactory>().GetScheduler(ct);
            await scheduler.Start(ct);
            TrainingRun? run;
            try
            {
                var launcher = host.Get<TrainingLauncher>();
                var id = await launcher.LaunchAsync(choices.Request(parse), ct);
                if (!asJson)
                    AnsiConsole.MarkupLineInterpolated($"Launched retrain job (request {id}); waiting for it to run…");
                run = await launcher.WaitAsync(id, TimeSpan.FromMinutes(30), ct);
            }
            finally
            {
                await SchedulerShutdown.AndLeaveClusterAsync(scheduler, host.Get<System.Data.Common.DbDataSource>(), CancellationToken.None);
            }
            if (run is null)
            {
                Console.Error.WriteLine("error: the run did not finish within 30 minutes");
                return 1;
            }
            if (run.Kind == ModelKind.Preference)
            {
                PreferenceRunPrinter.Print((await host.Get<PreferenceQueries>().RunAsync(run.Id, ct))!, asJson);
                return run.Status == RunStatus.Failed ? 1 : 0;
            }
            var version = run.ModelVersionId is { } vid ? await host.Get<ViralityDashboard.Data.Registry.ModelRegistryStore>().FindAsync(vid, null, ct) : null;
            Print(run, version?.VersionTag, asJson);
            return run.Status == RunStatus.Failed ? 1 : 0;
        });
        return command;
    }

    public static void Print(TrainingRun run, string? versionTag, bool asJson)
    {
        if (asJson)
        {
            CliOutput.WriteJson(new
            {
                RunId = run.Id,
                run.Status,
                run.Trigger,
                VersionId = run.ModelVersionId,
                VersionTag = versionTag,
                // The registry's vocabulary (the stored result names it by member name), "auto → …" when searched.
                Trainer = RunMetrics.Read(run.Metrics)?.TrainerName,
                run.VideoCount,
                run.UsedFallbackData,
                run.GateDecision,
                run.GateReasons,
                run.Warnings,
                run.Error,
                run.StartedAt,
                run.FinishedAt,
                Thresholds = Parse(run.Thresholds),
                TierDistribution = Parse(run.TierDistribution),
                Timings = Parse(run.Timings),
                Result = Parse(run.Metrics),
            });
            return;
        }
        var color = run.Status switch { RunStatus.Completed => "green", RunStatus.SkippedByGate => "yellow", _ => "red" };
        AnsiConsole.MarkupLineInterpolated($"Run {run.Id}: [{color}]{run.Status.Wire()}[/] ({run.Trigger.Wire()}), {run.VideoCount:N0} rows{(run.UsedFallbackData ? " from the bundled fallback set" : "")}, version {versionTag ?? "-"}");
        if (run.Error is not null)
            AnsiConsole.MarkupLineInterpolated($"[red]{run.Error}[/]");
        if (RunMetrics.Read(run.Metrics) is { } r)
        {
            AnsiConsole.MarkupLineInterpolated($"trainer {r.TrainerName}, features {r.FeatureSet}, split {r.Split}{(r.Rows is { } rows ? $", rows {rows.Mode.Wire()}" : "")}");
            if (r.Search is { } search)
                PrintSearch(search);
            var t = r.Test;
            // Served: the test videos as first seen, tier as matured (what the model is used on); growth: views × typical growth.
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("model (test)").RightAligned()).AddColumn(new TableColumn($"model (served{(r.Served is { } sv ? $", {sv.Videos} videos" : "")})").RightAligned())
                .AddColumn(new TableColumn("growth").RightAligned()).AddColumn(new TableColumn("majority").RightAligned()).AddColumn(new TableColumn("stratified random").RightAligned());
            foreach (var (label, figure) in new (string, Func<ClassificationMetrics, double>)[]
                { ("accuracy", m => m.Accuracy), ("macro-F1", m => m.MacroF1), ("quadratic kappa", m => m.QuadraticWeightedKappa), ("within one tier", m => m.WithinOneTierAccuracy), ("log-loss", m => m.LogLoss) })
                table.AddRow(label, Num(t, figure), Num(r.Served?.Metrics, figure), Num(r.GrowthBaseline, figure), Num(r.MajorityBaseline, figure), Num(r.StratifiedRandomBaseline, figure));
            table.AddRow("train accuracy", r.TrainAccuracy.ToString("0.0000", CultureInfo.InvariantCulture), "", "", "", "");
            if (r.CrossValidation is { } cv)
            {
                var sample = cv.SampledFrom is { } all ? $" (stratified sample of {cv.Rows:N0} of {all:N0} rows)" : "";
                table.AddRow($"{cv.Folds}-fold CV accuracy{sample}", $"{cv.AccuracyMean:0.0000} ± {cv.AccuracyStd:0.0000}", "", "", "", "");
            }
            AnsiConsole.Write(table);
            var perClass = new Table().AddColumn("tier").AddColumn("precision").AddColumn("recall").AddColumn("F1").AddColumn("support");
            foreach (var c in t.PerClass)
                perClass.AddRow(c.Tier.ToString(CultureInfo.InvariantCulture), Num(c.Precision), Num(c.Recall), Num(c.F1), c.Support.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(perClass);
            // As PostgreSQL prints the stored jsonb array.
            AnsiConsole.WriteLine("confusion matrix (rows actual tier 1..5, columns predicted): [" + string.Join(", ", t.ConfusionMatrix.Select(row => "[" + string.Join(", ", row) + "]")) + "]");
        }
        foreach (var reason in run.GateReasons)
            AnsiConsole.MarkupLineInterpolated($"gate: {reason}");
        foreach (var warning in run.Warnings)
            AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
        if (run.Thresholds is not null)
            AnsiConsole.WriteLine($"thresholds: {run.Thresholds}");
        if (run.TierDistribution is not null)
            AnsiConsole.WriteLine($"tier distribution: {run.TierDistribution}");
        if (run.Timings is not null)
            AnsiConsole.WriteLine($"timings (ms): {run.Timings}");
    }

    private static void PrintSearch(AutoSearchSummary s)
    {
        var sample = s.SampledFrom is { } all ? $", a stratified sample of {all:N0}" : "";
        AnsiConsole.MarkupLineInterpolated($"auto trainer: {s.Candidates.Count} candidates by {s.Folds}-fold CV macro-F1 on {s.Rows:N0} training rows{sample}{(s.StoppedByBudget ? "; stopped by its time budget, kept the best so far" : "")}");
        var table = new Table().AddColumn("#").AddColumn("trainer").AddColumn("hyperparameters")
            .AddColumn(new TableColumn("CV macro-F1").RightAligned()).AddColumn(new TableColumn("CV kappa").RightAligned()).AddColumn(new TableColumn("ms").RightAligned()).AddColumn("");
        for (var i = 0; i < s.Candidates.Count; i++)
        {
            var c = s.Candidates[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), c.Trainer, Markup.Escape(string.Join(" · ", c.Hyperparameters.Select(h => $"{h.Key} {h.Value}"))),
                c.CvMacroF1 is { } f ? Num(f) : "-", c.CvKappa is { } k ? Num(k) : "-", c.Milliseconds.ToString("N0", CultureInfo.InvariantCulture), i == s.Chosen ? "kept" : "");
        }
        AnsiConsole.Write(table);
    }

    private static string Num(ClassificationMetrics? m, Func<ClassificationMetrics, double> figure) => m is null ? "" : Num(figure(m));

    private static string Num(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The stored JSON as it is, for <c>--json</c>: the run's own record, not a re-serialization.</summary>

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

internal static class ExportTrainingVerb
{
    public static Command Create()
    {
        var choices = new TrainingChoices();
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (id, features…, label, split)", Required = true };
        var json = Common.Json();
        var command = new Command("export-training", "Write exactly the rows and split a run with these options would use, for the peer script") { output, json };
        choices.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var prepared = await host.Get<EngagementTrainingService>().PrepareAsync(choices.Request(parse), ct);
            var file = parse.GetValue(output)!;
            var split = await PeerCsv.WriteAsync(prepared, file.FullName, ct);
            if (parse.GetValue(json))
                CliOutput.WriteJson(new { File = file.FullName, Rows = prepared.Rows.Count, Train = split.Train.Length, Test = split.Test.Length, prepared.UsedFallbackData, FeatureSet = prepared.FeatureSet.Name, Scheme = prepared.Scheme.Name, prepared.Thresholds, prepared.Notes });
            else
                AnsiConsole.MarkupLineInterpolated($"Wrote {prepared.Rows.Count:N0} rows ({split.Train.Length:N0} train, {split.Test.Length:N0} test{(prepared.UsedFallbackData ? ", bundled fallback set" : "")}) to {file.FullName}");
            return 0;
        });
        return command;
    }
}

internal static class CompareRowsVerb
{
    public static Command Create()
    {
        var features = Common.Choice("--features", $"Feature set: {string.Join(" | ", FeatureSet.BuiltIn.Select(f => f.Name))} (default from configuration)", FeatureSet.BuiltIn, f => f.Name);
        var trainer = Common.Choice<TrainerKind>("--trainer", "Trainer of both models (default from configuration)");
        var json = Common.Json();
        var command = new Command("compare-rows",
            "Train latest and point-in-time on the same matured videos, hold out the same latest ones, and print test and served figures with the growth baseline")
            { features, trainer, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var result = await host.Get<RowsComparison>().CompareAsync(parse.GetValue(features), parse.GetValue(trainer), ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(result);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"{result.Videos} matured videos ({result.TrainVideos} train, {result.TestVideos} held out: the latest first seen), features {result.FeatureSet}, matured {result.MatureAfterDays} days after posting; skipped {result.Report.SkippedNotMatured} not yet matured, {result.Report.SkippedNoEarlierSnapshot} with a single snapshot");
            var table = new Table().AddColumn("trained on").AddColumn("trainer")
                .AddColumn(new TableColumn("test accuracy").RightAligned()).AddColumn(new TableColumn("served accuracy").RightAligned())
                .AddColumn(new TableColumn("served macro-F1").RightAligned()).AddColumn(new TableColumn("served kappa").RightAligned());
            foreach (var (name, d) in new[] { ("latest counts", result.Latest), ("counts as first seen (point in time)", result.PointInTime) })
                table.AddRow(name, d.Trainer, Num(d.Test.Accuracy), Num(d.Served?.Accuracy), Num(d.Served?.MacroF1), Num(d.Served?.QuadraticWeightedKappa));
            if (result.Growth is { } g)
                table.AddRow("growth baseline (first-seen views × median growth)", "-", "-", Num(g.Accuracy), Num(g.MacroF1), Num(g.QuadraticWeightedKappa));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static string Num(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";
}
