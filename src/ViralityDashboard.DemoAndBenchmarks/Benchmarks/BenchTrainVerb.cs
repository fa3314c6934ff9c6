using ViralityDashboard.Core.Ml;
using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Npgsql;
using Spectre.Console;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// Measures a whole training run (DB read → features → fit → evaluate → stored version) on N generated
/// videos, and in-process prediction, in a scratch database on the same server (created and dropped
/// here), so the user's data and registry are never touched.
/// </summary>
public static class BenchTrainVerb
{
    public static Command Create(IBenchCli cli)
    {
        var rows = new Option<int>("--rows") { Description = "Generated videos; the run reads all of them", DefaultValueFactory = _ => 10_000 };
        var trainer = new Option<string>("--trainer") { Description = "lbfgs | lightgbm | forest", DefaultValueFactory = _ => "lbfgs" };
        var cv = new Option<int>("--folds") { Description = "Cross-validation folds inside the run (0 skips)", DefaultValueFactory = _ => 5 };
        var warmRuns = new Option<int>("--runs") { Description = "Warm runs after the cold one; their median is reported", DefaultValueFactory = _ => 5 };
        var export = new Option<FileInfo?>("--export") { Description = "Also write the run's rows and split as the peer script's CSV, to time scikit-learn on the same rows" };
        var json = cli.Json();
        var command = new Command("bench-train", "Benchmark a whole training run and prediction on generated videos; uses a scratch database") { rows, trainer, cv, warmRuns, export, json };
        rows.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 100)
                r.AddError("--rows must be at least 100");
        });
        warmRuns.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError("--runs must be at least 1");
        });
        cv.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or 1)
                r.AddError("--folds must be 0 (no cross-validation) or at least 2");
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await cli.StartHostAsync(parse.GetValue(cli.DataDir), ct);
            var n = parse.GetValue(rows);
            var asJson = parse.GetValue(json);
            var baseCs = host.Database.ConnectionString;
            var name = $"virality_bench_train_{Environment.ProcessId}";
            var admin = new NpgsqlConnectionStringBuilder(baseCs) { Database = "postgres" }.ConnectionString;
            var scratch = new NpgsqlConnectionStringBuilder(baseCs) { Database = name }.ConnectionString;
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name}", ct);
            await ExecuteAsync(admin, $"CREATE DATABASE {name}", ct);
            var file = Path.Combine(Path.GetTempPath(), $"virality-bench-train-{Environment.ProcessId}.csv");
            try
            {
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
                // The outcome is printed below; the service's per-run logs and EF's probe of the empty scratch
                // database's history table would only bury it.
                builder.Logging.ClearProviders();
                builder.AddDatabase(new DatabaseEndpoint(scratch, IsEmbedded: false));
                builder.Configuration[$"{EngagementTrainingOptions.Section}:MaxVideos"] = n.ToString();
                builder.Configuration[$"{EngagementTrainingOptions.Section}:TimeBudgetSeconds"] = "3600";
                builder.Configuration[$"{EngagementTrainingOptions.Section}:CrossValidationFolds"] = parse.GetValue(cv).ToString();
                builder.Configuration[$"{EngagementTrainingOptions.Section}:Trainer"] = parse.GetValue(trainer);
                builder.AddDataServices();
                builder.AddTrainingServices();
                using var bench = builder.Build();
                await bench.Services.MigrateDatabaseAsync(ct);

                var prep = Stopwatch.StartNew();
                await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16))
                    await CsvVideoWriter.WriteAsync(writer, SyntheticVideos.Generate(n, 7), ct);
                await using (var stream = File.OpenRead(file))
                    await bench.Services.GetRequiredService<VideoImporter>().ImportAsync(stream, new ImportOptions(), ct);
                Log(asJson, $"Generated and imported {n:N0} videos in {prep.Elapsed.TotalSeconds:N1} s (not timed below)");
                var peakScope = ResetPeakWorkingSet() ? "during the runs" : "includes generation and import";

                if (parse.GetValue(export) is { } peerFile)
                {
                    var prepared = await bench.Services.GetRequiredService<EngagementTrainingService>().PrepareAsync(new TrainingRequest(), ct);
                    await PeerCsv.WriteAsync(prepared, peerFile.FullName, ct);
                    Log(asJson, $"Wrote the run's {prepared.Rows.Count:N0} rows to {peerFile.FullName} (for ../shared/peer/sklearn_reference.py)");
                }

                // Identical runs: the first in a process pays ML.NET's JIT and assembly loading (a CLI launch); the
                // warm ones are what the long-running app's scheduled retrain costs.
                var training = bench.Services.GetRequiredService<EngagementTrainingService>();
                var runs = new List<(string Name, double Seconds, TrainingOutcome Outcome)>();
                foreach (var label in Enumerable.Range(0, 1 + parse.GetValue(warmRuns)).Select(i => i == 0 ? "cold" : $"warm {i}"))
                {
                    GC.Collect();
                    var clock = Stopwatch.StartNew();
                    var o = await training.RunAsync(new TrainingRequest(), RunTrigger.Manual, ct);
                    runs.Add((label, clock.Elapsed.TotalSeconds, o));
                    Log(asJson, $"{label} run {o.RunId}: {o.Status.Wire()} {o.VersionTag} on {o.VideoCount:N0} rows in {clock.Elapsed.TotalSeconds:N2} s{(o.Error is null ? "" : $" — {o.Error}")}; steps (ms): {string.Join(", ", o.Timings.Select(t => $"{t.Step} {t.Milliseconds:N0}"))}");
                }
                var outcome = runs[^1].Outcome;

                // Prediction with the run's own model (the gate may have kept it inactive).
                double? medianMicros = null;
                if (outcome.Result?.Model is { } trained)
                {
                    var model = new LoadedModel(0, outcome.VersionTag ?? "candidate", TrainingRequest.Kind, trained.Kind, FeatureSet.Seed15, "views", trained);
                    medianMicros = MeasurePrediction(model, SyntheticVideos.Generate(1_000, 11).ToArray());
                }
                var warm = runs.Skip(1).Select(r => r.Seconds).Order().ToArray();
                var warmMedian = warm.Length % 2 == 1 ? warm[warm.Length / 2] : (warm[warm.Length / 2 - 1] + warm[warm.Length / 2]) / 2;
                var peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
                if (asJson)
                    cli.WriteJson(new
                    {
                        Rows = n,
                        ColdSeconds = runs[0].Seconds,
                        WarmMedianSeconds = warmMedian,
                        Runs = runs.Select(r => new { r.Name, Seconds = r.Seconds, r.Outcome.Status, r.Outcome.VersionTag, r.Outcome.Timings, Accuracy = r.Outcome.Result?.Test.Accuracy, MacroF1 = r.Outcome.Result?.Test.MacroF1 }),
                        PredictionMedianMicroseconds = medianMicros, PeakWorkingSetMiB = peakMiB, PeakScope = peakScope, Cores = Environment.ProcessorCount,
                    });
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"[bold]whole run {runs[0].Seconds:N2} s cold, median {warmMedian:N2} s warm[/] ({warm.Length} runs) for {n:N0} videos (DB read → features → fit → evaluate → stored version)");
                    AnsiConsole.MarkupLineInterpolated($"[bold]prediction median {medianMicros:N2} µs/call[/] (features + probabilities + score + contributions, after warm-up); peak working set {peakMiB:N0} MiB ({peakScope})");
                }
                return outcome.Status == RunStatus.Failed ? 1 : 0;
            }
            finally
            {
                File.Delete(file);
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
            }
        });
        return command;
    }

    /// <summary>
    /// Returns the memory of generation and import to the OS and restarts the kernel's peak-RSS counter
    /// (Linux: "5" to /proc/self/clear_refs), so the reported peak is the runs' own. False where unsupported.
    /// </summary>
    private static bool ResetPeakWorkingSet()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Median per-call time over 200 batches of the 1,000 videos, after 20,000 warm-up calls.</summary>
    private static double MeasurePrediction(LoadedModel model, Core.Videos.ScrapedVideoRecord[] videos)
    {
        double sink = 0;
        for (var i = 0; i < 20_000; i++)
            sink += PredictionService.Predict(model, videos[i % videos.Length]).Score;
        var perCall = new List<double>();
        for (var batch = 0; batch < 200; batch++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var v in videos)
                sink += PredictionService.Predict(model, v).Score;
            perCall.Add(sw.Elapsed.TotalMicroseconds / videos.Length);
        }
        GC.KeepAlive(sink);
        perCall.Sort();
        return perCall[perCall.Count / 2];
    }

    private static async Task ExecuteAsync(string cs, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void Log(bool asJson, string line)
    {
        if (asJson)
            Console.Error.WriteLine(line);
        else
            AnsiConsole.WriteLine(line);
    }
}
