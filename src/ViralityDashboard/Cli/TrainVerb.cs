using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Quartz;
using Spectre.Console;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Training;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Cli;

/// <summary>The options <c>train</c> and <c>export-training</c> share, so an export is exactly a run's rows.</summary>
internal sealed class TrainingChoices(bool allowPreference = false)
{
    public Option<string> Kind { get; } = new("--kind")
    {
        Description = allowPreference ? "Model kind: engagement | preference" : "Model kind",
        DefaultValueFactory = _ => TrainingRequest.Kind,
    };
    public Option<string?> Features { get; } = new("--features") { Description = "Feature set: seed15 | pre-posting (default from configuration)" };
    public Option<string?> Tiers { get; } = new("--tiers") { Description = "Tier scheme: views | wes (default from configuration)" };
    public Option<string?> Trainer { get; } = new("--trainer") { Description = "Trainer: lbfgs | lightgbm | forest (default from configuration)" };
    public Option<string?> Split { get; } = new("--split") { Description = "Split: stratified | hash | time (default from configuration)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Kind);
        command.Options.Add(Features);
        command.Options.Add(Tiers);
        command.Options.Add(Trainer);
        command.Options.Add(Split);
        Kind.AcceptOnlyFromAmong(allowPreference ? [.. ModelKinds.All] : [TrainingRequest.Kind]);
        // The engagement choices mean nothing to a preference run, whose settings are Virality:Preference.
        command.Validators.Add(r =>
        {
            if (r.GetValue(Kind) == ModelKinds.Preference && new Option[] { Features, Tiers, Trainer, Split }.FirstOrDefault(o => r.GetResult(o) is { Implicit: false }) is { } o)
                r.AddError($"{o.Name} applies to the engagement model only; preference runs take their settings from {PreferenceOptions.Section}");
        });
        Features.AcceptOnlyFromAmong("seed15", "pre-posting");
        Tiers.AcceptOnlyFromAmong("views", "wes");
        Trainer.AcceptOnlyFromAmong("lbfgs", "lightgbm", "forest");
        Split.AcceptOnlyFromAmong("stratified", "hash", "time");
    }

    public TrainingRequest Request(ParseResult parse) => new(
        parse.GetValue(Features), parse.GetValue(Tiers), parse.GetValue(Trainer), parse.GetValue(Split),
        RequestedBy: $"cli:{Environment.UserName}", ModelKind: parse.GetValue(Kind));
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
                await scheduler.Shutdown(waitForJobsToComplete: true, CancellationToken.None);
            }
            if (run is null)
            {
                Console.Error.WriteLine("error: the run did not finish within 30 minutes");
                return 1;
            }
            if (run.Kind == ModelKinds.Preference)
            {
                PreferenceRunPrinter.Print((await host.Get<PreferenceQueries>().RunAsync(run.Id, ct))!, asJson);
                return run.Status == TrainingStatuses.Failed ? 1 : 0;
            }
            var version = run.ModelVersionId is { } vid ? await host.Get<ViralityDashboard.Data.Registry.ModelRegistryStore>().FindAsync(vid, null, ct) : null;
            Print(run, version?.VersionTag, asJson);
            return run.Status == TrainingStatuses.Failed ? 1 : 0;
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
        var color = run.Status switch { TrainingStatuses.Completed => "green", TrainingStatuses.SkippedByGate => "yellow", _ => "red" };
        AnsiConsole.MarkupLineInterpolated($"Run {run.Id}: [{color}]{run.Status}[/] ({run.Trigger}), {run.VideoCount:N0} rows{(run.UsedFallbackData ? " from the bundled fallback set" : "")}, version {versionTag ?? "-"}");
        if (run.Error is not null)
            AnsiConsole.MarkupLineInterpolated($"[red]{run.Error}[/]");
        if (Parse(run.Metrics) is { } r)
        {
            var t = r.GetProperty("test");
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("model").RightAligned()).AddColumn(new TableColumn("majority").RightAligned()).AddColumn(new TableColumn("stratified random").RightAligned());
            var maj = r.GetProperty("majorityBaseline");
            var rnd = r.GetProperty("stratifiedRandomBaseline");
            foreach (var (label, name) in new[] { ("accuracy", "accuracy"), ("macro-F1", "macroF1"), ("quadratic kappa", "quadraticWeightedKappa"), ("within one tier", "withinOneTierAccuracy"), ("log-loss", "logLoss") })
                table.AddRow(label, Num(t, name), Num(maj, name), Num(rnd, name));
            table.AddRow("train accuracy", r.GetProperty("trainAccuracy").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), "", "");
            if (r.GetProperty("crossValidation") is { ValueKind: JsonValueKind.Object } cv)
            {
                var sample = cv.TryGetProperty("sampledFrom", out var all) && all.ValueKind == JsonValueKind.Number
                    ? $" (stratified sample of {cv.GetProperty("rows").GetInt32():N0} of {all.GetInt32():N0} rows)" : "";
                table.AddRow($"{cv.GetProperty("folds").GetInt32()}-fold CV accuracy{sample}", $"{cv.GetProperty("accuracyMean").GetDouble():0.0000} ± {cv.GetProperty("accuracyStd").GetDouble():0.0000}", "", "");
            }
            AnsiConsole.Write(table);
            var perClass = new Table().AddColumn("tier").AddColumn("precision").AddColumn("recall").AddColumn("F1").AddColumn("support");
            foreach (var c in t.GetProperty("perClass").EnumerateArray())
                perClass.AddRow(c.GetProperty("tier").ToString(), Num(c, "precision"), Num(c, "recall"), Num(c, "f1"), c.GetProperty("support").ToString());
            AnsiConsole.Write(perClass);
            AnsiConsole.WriteLine("confusion matrix (rows actual tier 1..5, columns predicted): " + t.GetProperty("confusionMatrix").ToString());
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

    private static string Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.0000", CultureInfo.InvariantCulture) : "";

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

/// <summary>The CSV contract of <c>../shared/peer/sklearn_reference.py</c>: id, features…, label, split.</summary>
internal static class PeerCsv
{
    /// <summary>Writes the prepared rows with the side of the run's split each lands on; returns that split.</summary>
    public static async Task<SplitIndices> WriteAsync(PreparedTrainingData prepared, string path, CancellationToken ct)
    {
        var split = prepared.Split();
        var side = new string[prepared.Rows.Count];
        foreach (var i in split.Train) side[i] = "train";
        foreach (var i in split.Test) side[i] = "test";
        await using var writer = new StreamWriter(path);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("id");
        foreach (var name in prepared.FeatureSet.FeatureNames)
            csv.WriteField(name);
        csv.WriteField("label");
        csv.WriteField("split");
        await csv.NextRecordAsync();
        for (var i = 0; i < prepared.Rows.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var row = prepared.Rows[i];
            csv.WriteField(row.Id);
            foreach (var f in row.Features)
                csv.WriteField(f.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(row.Label);
            csv.WriteField(side[i]);
            await csv.NextRecordAsync();
        }
        return split;
    }
}
