using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

internal static class ExportRatingsVerb
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "JSON file to write (default training_data_YYYY-MM-DD.json in the current folder)" };
        var json = Common.Json();
        var command = new Command("export-ratings", "Write exactly the preference model's training rows (owner ratings joined to their analyses) as dated JSON") { output, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var prepared = await host.Get<PreferenceTrainingService>().PrepareAsync(ct);
            var file = parse.GetValue(output) ?? new FileInfo(RatingsExport.DefaultFileName(host.Get<TimeProvider>().GetUtcNow()));
            // Write beside, then move: an interrupted export never leaves a half file under the final name.
            var partial = file.FullName + ".partial";
            await using (var stream = File.Create(partial))
                await RatingsExport.WriteAsync(stream, prepared, ct);
            File.Move(partial, file.FullName, overwrite: true);
            var train = prepared.Sides?.Count(s => s == "train");
            if (parse.GetValue(json))
                CliOutput.WriteJson(new { File = file.FullName, Rows = prepared.Rows.Count, Train = train, Test = prepared.Sides is null ? (int?)null : prepared.Rows.Count - train, prepared.Filter.AnalysisVersion, prepared.Filter.MinimumFeatureCount, prepared.Plan.Milestone });
            else
                AnsiConsole.MarkupLineInterpolated($"Wrote {prepared.Rows.Count:N0} rated videos ({prepared.Filter.AnalysisVersion} analyses with ≥ {prepared.Filter.MinimumFeatureCount} features) to {file.FullName}");
            return 0;
        });
        return command;
    }
}
