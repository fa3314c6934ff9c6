using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.DemoAndBenchmarks.Demo;

namespace ViralityDashboard.Cli;

internal static class SeedDemoVerb
{
    // DemoDataOptions' own defaults; the validator needs them as values (see Common.ValueOr).
    private const int DefaultVideos = 5_000, DefaultAnalyzed = 300;

    public static Command Create()
    {
        var videos = new Option<int>("--videos") { Description = "Scraped videos to generate", DefaultValueFactory = _ => DefaultVideos };
        var analyzed = new Option<int>("--analyzed") { Description = "Of those, videos with a visual analysis and an owner rating", DefaultValueFactory = _ => DefaultAnalyzed };
        var unrated = new Option<int>("--unrated") { Description = "Further analyzed videos left for the owner to rate", DefaultValueFactory = _ => DemoDataOptions.DashboardAwaitingRating };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same data", DefaultValueFactory = _ => 42 };
        var json = Common.Json();
        var command = new Command("seed-demo", "Generate deterministic demo data (videos, analyses, owner ratings) and store it") { videos, analyzed, unrated, seed, json };
        command.Validators.Add(r =>
        {
            var v = r.ValueOr(videos, DefaultVideos);
            var a = r.ValueOr(analyzed, DefaultAnalyzed);
            var u = r.ValueOr(unrated, DemoDataOptions.DashboardAwaitingRating);
            if (v < 0 || a < 0 || u < 0)
                r.AddError("--videos, --analyzed and --unrated cannot be negative");
            else if (a + u > v)
                r.AddError($"--analyzed plus --unrated ({a + u}) cannot exceed --videos ({v})");
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var report = await host.Get<DemoSeeder>().SeedAsync(new DemoDataOptions
            {
                Videos = parse.GetValue(videos),
                Analyzed = parse.GetValue(analyzed),
                AwaitingRating = parse.GetValue(unrated),
                Seed = parse.GetValue(seed),
                PostingWindowDays = DemoDataOptions.DashboardPostingWindowDays,
                Now = host.Get<TimeProvider>().GetUtcNow(),
            }, ct);
            if (parse.GetValue(json))
                CliOutput.WriteJson(new { Videos = report.Videos.Read, report.Videos.Inserted, report.Videos.Updated, report.AnalysesAdded, report.RatingsAdded, report.SnapshotsAdded });
            else
                AnsiConsole.MarkupLineInterpolated($"Demo data: {report.Videos.Read:N0} videos ({report.Videos.Inserted:N0} new, {report.Videos.Updated:N0} updated), {report.AnalysesAdded:N0} analyses, {report.RatingsAdded:N0} ratings and {report.SnapshotsAdded:N0} snapshots added");
            return 0;
        });
        return command;
    }
}
