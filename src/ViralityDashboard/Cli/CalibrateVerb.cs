using System.CommandLine;
using Microsoft.Extensions.Options;
using Spectre.Console;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

internal static class CalibrateVerb
{
    public static Command Create()
    {
        var json = Common.Json();
        var command = new Command("calibrate", "Compute view and WES percentiles over trainable videos in SQL and store a calibration baseline") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var weights = host.Get<IOptions<EngagementTrainingOptions>>().Value.WesWeights;
            var (id, s) = await host.Get<CalibrationQueries>().ComputeAndStoreAsync(weights, ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { Id = id, s.ComputedAt, s.VideoCount, Views = s.Views, Wes = s.Wes, s.WesWeights });
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"Calibration baseline {id}: {s.VideoCount:N0} trainable videos, WES weights {Describe(s.WesWeights)}");
            var table = new Table().AddColumn("percentile").AddColumn(new TableColumn("views").RightAligned()).AddColumn(new TableColumn("WES").RightAligned());
            foreach (var p in CalibrationQueries.Percentiles.Select(CalibrationQueries.Name))
                table.AddRow(p, $"{s.Views[p]:N1}", $"{s.Wes[p]:0.00000}");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>As the Calibration page says them.</summary>
    private static string Describe(ViralityDashboard.Core.Engagement.WesWeights w) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{w.Likes}/{w.Comments}/{w.Shares}/{w.Saves} (likes/comments/shares/saves)");
}
