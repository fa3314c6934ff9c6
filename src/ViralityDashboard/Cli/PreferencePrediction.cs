using System.Text.Json;
using Spectre.Console;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

/// <summary><c>predict --kind preference --analysis FILE.json</c>.</summary>
internal static class PreferencePrediction
{
    public static async Task<int> RunAsync(string? dataDir, FileInfo file, string? version, bool asJson, CancellationToken ct)
    {
        // Read and parse before starting the database: a bad file is a file-level error (exit 2, nothing done).
        var text = await File.ReadAllTextAsync(file.FullName, ct);
        using var document = Parse(file, text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"{file.FullName}: an analysis must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");

        await using var host = await CliHost.StartAsync(dataDir, ct);
        PreferencePredictionOutcome p;
        try
        {
            p = await host.Get<PreferencePredictionService>().PredictAsync(document.RootElement, version, PredictionSource.Cli, ct);
        }
        catch (ModelRegistryException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (InsufficientCoverageException e)
        {
            // Bad input, as invalid JSON: exit 2, nothing predicted or logged.
            Console.Error.WriteLine($"error: {file.FullName}: {e.Message}");
            return 2;
        }
        finally
        {
            // The host is never started, so its background writer does not run: write the log entry now.
            await host.Get<PredictionLog>().FlushAsync(CancellationToken.None);
        }
        if (asJson)
        {
            CliOutput.WriteJson(p);
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"Version {p.VersionTag} ({p.Trainer}): score [bold]{p.Score:0.0}[/] / 10, confidence {p.Confidence:0.00} (coverage {p.Coverage:0.00} × R² {p.TestR2:0.00})");
        if (p.TopFactors.Count > 0)
        {
            var table = new Table().AddColumn("factor").AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("contribution").RightAligned());
            foreach (var f in p.TopFactors)
                table.AddRow(Markup.Escape(f.Feature), $"{f.Value:0.000}", $"{f.Contribution:+0.000;-0.000;0}");
            AnsiConsole.Write(table);
        }
        foreach (var d in p.Dimensions)
            AnsiConsole.WriteLine($"{d.Dimension}: {d.Score:0.0} / 10 (confidence {d.Confidence:0.00})");
        return 0;
    }

    private static JsonDocument Parse(FileInfo file, string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            // JsonException numbers lines and bytes from 0.
            throw new ArgumentException($"{file.FullName}: invalid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber:")[0]}");
        }
    }
}
