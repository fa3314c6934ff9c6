using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

internal static class PredictVerb
{
    public static Command Create()
    {
        var views = new Option<long>("--views") { Description = "View count" };
        var likes = new Option<long>("--likes");
        var comments = new Option<long>("--comments");
        var shares = new Option<long>("--shares");
        var saves = new Option<long?>("--saves") { Description = "Saves (estimated as likes × 0.15 when omitted)" };
        var followers = new Option<long?>("--followers") { Description = "Author followers (unknown when omitted)" };
        var duration = new Option<double?>("--duration") { Description = "Duration in seconds" };
        var hashtags = new Option<string[]>("--hashtag") { Description = "A hashtag (repeatable)", AllowMultipleArgumentsPerToken = true };
        var sound = new Option<string?>("--sound") { Description = "Sound name" };
        var caption = new Option<string?>("--caption") { Description = "Caption text" };
        var postedAt = new Option<DateTimeOffset?>("--posted-at") { Description = "Posting time (ISO 8601)" };
        var hours = new Option<double?>("--hours-since-posting") { Description = "How old the video is, in hours (default: from --posted-at to now); the early feature set reads it" };
        var jsonInput = new Option<string?>("--json-input") { Description = "The video as JSON ({\"views\":…, \"likes\":…, \"authorFollowers\":…}) instead of the options" };
        var version = new Option<string?>("--version") { Description = "Version tag (default: the active version)" };
        var kind = Common.Choice<ModelKind>("--kind", "engagement (tier from the scraped stats, the default) or preference (0–10 from a visual analysis)");
        var analysis = new Option<FileInfo?>("--analysis") { Description = "Preference: the video's visual analysis as a JSON file" };
        var json = Common.Json();
        var command = new Command("predict", "Engagement: tier probabilities, 0–100 score and contributions for one video. Preference: the owner's 0–10 score, confidence and top factors for one analysis")
            { views, likes, comments, shares, saves, followers, duration, hashtags, sound, caption, postedAt, hours, jsonInput, version, kind, analysis, json };
        command.Validators.Add(r =>
        {
            var preference = r.GetValue(kind) == ModelKind.Preference;
            if (preference && r.GetValue(analysis) is null)
                r.AddError("--kind preference needs --analysis FILE.json");
            else if (!preference && r.GetResult(analysis) is { Implicit: false })
                r.AddError("--analysis applies to --kind preference");
            if (r.GetValue(hours) is { } h && ObservationAge.Problem(h) is { } problem)
                r.AddError($"--hours-since-posting {problem}.");
        });
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(kind) == ModelKind.Preference)
                return await PreferencePrediction.RunAsync(parse.GetValue(Common.DataDir), parse.GetValue(analysis)!, parse.GetValue(version), parse.GetValue(json), ct);
            ScrapedVideoRecord video;
            if (parse.GetValue(jsonInput) is { } text)
            {
                var node = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(text) ?? throw new ArgumentException("--json-input is empty");
                node.TryAdd("videoId", "cli");
                video = node.Deserialize<ScrapedVideoRecord>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            }
            else
            {
                video = new ScrapedVideoRecord
                {
                    VideoId = "cli",
                    Views = parse.GetValue(views),
                    Likes = parse.GetValue(likes),
                    Comments = parse.GetValue(comments),
                    Shares = parse.GetValue(shares),
                    Saves = parse.GetValue(saves),
                    AuthorFollowers = parse.GetValue(followers),
                    DurationSeconds = parse.GetValue(duration),
                    Hashtags = parse.GetValue(hashtags) ?? [],
                    SoundName = parse.GetValue(sound),
                    Description = parse.GetValue(caption),
                    CreatedAt = parse.GetValue(postedAt),
                };
            }
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var now = host.Get<TimeProvider>().GetUtcNow();
            video = parse.GetValue(hours) is { } age ? ObservationAge.At(video, age, now)
                : video is { CreatedAt: not null, ScrapedAt: null } ? video with { ScrapedAt = now }
                : video;
            PredictionOutcome p;
            try
            {
                p = await host.Get<PredictionService>().PredictAsync(video, parse.GetValue(version), null, PredictionSource.Cli, null, ct);
            }
            catch (ModelRegistryException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            finally
            {
                // The host is never started, so its background writer does not run: write the log entry now.
                await host.Get<PredictionLog>().FlushAsync(CancellationToken.None);
            }
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(p);
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"Version {p.VersionTag} ({p.FeatureSet}): tier [bold]{p.Tier}[/], score [bold]{p.Score:0.0}[/] / 100");
            if (p.Age?.TrainedFor is { } trained)
                AnsiConsole.MarkupLineInterpolated($"{trained}");
            if (p.Age?.Warning is { } warning)
                AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {warning}");
            var probs = new Table().AddColumn("tier").AddColumn(new TableColumn("probability").RightAligned());
            for (var i = 0; i < p.Probabilities.Count; i++)
                probs.AddRow($"{i + 1}", $"{p.Probabilities[i]:0.000}");
            AnsiConsole.Write(probs);
            if (p.Contributions.Count > 0)
            {
                var table = new Table().AddColumn("feature").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("weight").RightAligned()).AddColumn(new TableColumn("contribution").RightAligned());
                foreach (var c in p.Contributions)
                    table.AddRow(c.Feature, $"{c.Value:0.0000}", $"{c.Weight:0.0000}", $"{c.Contribution:+0.0000;-0.0000;0}");
                AnsiConsole.Write(table);
            }
            return 0;
        });
        return command;
    }
}
