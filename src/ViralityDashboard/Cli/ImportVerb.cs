using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Cli;

internal static class ImportVerb
{
    /// <summary>Another import held the table for longer than Virality:Import:WaitSeconds; nothing was written.</summary>
    public const int BusyExitCode = 3;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Normalized or Apify CSV, tiktok-scraper, Apify or TikTok web items JSON, or JSON Lines of them (detected from content)" };
        var strict = new Option<bool>("--strict") { Description = "Abort on the first invalid row, writing nothing" };
        var json = Common.Json();
        var scrapedAt = ScrapedAt();
        var command = new Command("import", "Import scraped videos; re-importing updates stats and never duplicates a video") { file, strict, scrapedAt, json };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (Directory.Exists(path.FullName))
                throw new ArgumentException($"{path.FullName} is a directory, not a file: give the CSV or JSON file to import");
            if (!path.Exists)
                throw new FileNotFoundException($"{path.FullName} does not exist");
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            await using var stream = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var asJson = parse.GetValue(json);
            var progress = asJson || Console.IsErrorRedirected ? null : new Progress<long>(n => Console.Error.Write($"\r{n:N0} rows read…"));
            ImportReport report;
            try
            {
                report = await host.Get<VideoImporter>().ImportAsync(stream, new ImportOptions { Strict = parse.GetValue(strict), Progress = progress, ScrapedAt = parse.GetValue(scrapedAt) }, ct);
            }
            catch (ImportAbortedException e)
            {
                // The database went away: say so plainly (the message says whether anything was written), no stack trace.
                Console.Error.WriteLine($"{(progress is null ? "" : "\n")}error: {e.Message}");
                return 2;
            }
            catch (ImportBusyException e)
            {
                // Its own code: a script can tell "try again later" from a file that will never go in.
                Console.Error.WriteLine($"{(progress is null ? "" : "\n")}error: {e.Message}");
                return BusyExitCode;
            }
            if (progress is not null)
                Console.Error.Write("\r");
            // Queued in the shared Quartz store: the web app's node scores the new videos (or this data dir's next one).
            if (report.Inserted + report.Updated > 0)
                await host.Get<IScoringTrigger>().TriggerAsync(CancellationToken.None);
            Print(path.Name, report, asJson);
            return 0;
        });
        return command;
    }

    /// <summary><c>--scraped-at TIME</c>: parsed here, so that a bad time is a usage error naming the option.</summary>
    internal static Option<DateTimeOffset?> ScrapedAt() => new("--scraped-at")
    {
        Description = "When the file was scraped (ISO 8601, UTC unless an offset is given), for rows without a scraped_at of their own",
        CustomParser = r =>
        {
            try
            {
                return ImportOptions.ParseScrapedAt("--scraped-at", r.Tokens.Single().Value, DateTimeOffset.UtcNow);
            }
            catch (FormatException e)
            {
                r.AddError(e.Message);
                return null;
            }
        },
    };

    private static void Print(string name, ImportReport report, bool asJson)
    {
        if (asJson)
        {
            CliOutput.WriteJson(new
            {
                report.Format,
                report.Read,
                report.Inserted,
                report.Updated,
                report.Rejected,
                report.Flagged,
                Errors = report.Errors.Select(e => new { e.Where, e.Reason }),
                report.Unchanged,
                report.Snapshots,
            });
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{name}[/] ({report.Format}): {report.Read:N0} read, [green]{report.Inserted:N0} inserted[/], {report.Updated:N0} updated ({report.Unchanged:N0} unchanged), [red]{report.Rejected:N0} rejected[/], [yellow]{report.Flagged:N0} flagged[/], {report.Snapshots:N0} count snapshots");
        if (report.Errors.Count == 0)
            return;
        var table = new Table().AddColumn("where").AddColumn("reason");
        foreach (var e in report.Errors.Take(50))
            table.AddRow(Markup.Escape(e.Where), Markup.Escape(e.Reason));
        AnsiConsole.Write(table);
        if (report.Errors.Count > 50)
            AnsiConsole.MarkupLineInterpolated($"… and {report.Errors.Count - 50:N0} more (use --json for all)");
    }
}
