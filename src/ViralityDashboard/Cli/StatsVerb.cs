using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Cli;

internal static class StatsVerb
{
    public static Command Create()
    {
        var json = Common.Json();
        var command = new Command("stats", "Counts of videos, analyzed videos, ratings and model versions") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var counts = await host.Get<IStatsQueries>().GetCountsAsync(ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(counts);
                return 0;
            }
            var table = new Table().AddColumn("what").AddColumn(new TableColumn("count").RightAligned());
            table.AddRow("videos", $"{counts.Videos:N0}");
            table.AddRow("  with data-quality flags", $"{counts.FlaggedVideos:N0}");
            table.AddRow("analyzed videos", $"{counts.AnalyzedVideos:N0}");
            table.AddRow("ratings", $"{counts.Ratings:N0}");
            table.AddRow("model versions", $"{counts.ModelVersions:N0}");
            table.AddRow("training runs", $"{counts.TrainingRuns:N0}");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
