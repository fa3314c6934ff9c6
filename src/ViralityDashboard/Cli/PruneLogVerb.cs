using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Cli;

/// <summary><c>prune-log</c>: the retention job's pass, now (after lowering a retention setting, or with the job off).</summary>
internal static class PruneLogVerb
{
    public static Command Create()
    {
        var json = Common.Json();
        var command = new Command("prune-log", "Delete the prediction log's expired rows now, as the retention job does on its cron (Virality:Monitoring:Retention)") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var result = await host.Get<IRetentionPass>().DeleteExpiredAsync(ct);
            if (parse.GetValue(json))
                CliOutput.WriteJson(result);
            else
                AnsiConsole.WriteLine($"Deleted {result.Deleted:N0} expired predictions: {result.PartitionRows:N0} in {result.Partitions:N0} months dropped whole, then {result.Served:N0} served, {result.Preference:N0} preference, {result.Scoring:N0} matured scoring in {result.Batches:N0} batches.");
            return 0;
        });
        return command;
    }
}
