using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Spectre.Console;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// Measures the import path on a generated normalized CSV, in a scratch database on the same server
/// (created and dropped here), so the user's data is never touched.
/// </summary>
public static class BenchImportVerb
{
    public static Command Create(IBenchCli cli)
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated CSV", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Timed imports; the median is reported", DefaultValueFactory = _ => 3 };
        var json = cli.Json();
        var command = new Command("bench-import", "Benchmark importing a generated CSV (rows/s); uses a scratch database") { rows, runs, json };
        foreach (var option in new[] { rows, runs })
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                    r.AddError($"{option.Name} must be at least 1");
            });
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await cli.StartHostAsync(parse.GetValue(cli.DataDir), ct);
            var n = parse.GetValue(rows);
            var asJson = parse.GetValue(json);
            var file = Path.Combine(Path.GetTempPath(), $"virality-bench-{Environment.ProcessId}.csv");
            try
            {
                var generate = Stopwatch.StartNew();
                await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16))
                    await CsvVideoWriter.WriteAsync(writer, DemoDataGenerator.GenerateVideos(new DemoDataOptions { Videos = n, Analyzed = 0, Now = DateTimeOffset.UtcNow }), ct);
                var bytes = new FileInfo(file).Length;
                Log(asJson, $"Generated {n:N0} rows ({bytes / 1048576.0:N1} MiB) in {generate.Elapsed.TotalSeconds:N1} s");

                var results = new List<double>();
                for (var run = 1; run <= parse.GetValue(runs); run++)
                {
                    var (seconds, report) = await TimeOneImportAsync(host.Database, file, ct);
                    var rate = report.Read / seconds;
                    results.Add(rate);
                    Log(asJson, $"run {run}: {report.Inserted:N0} inserted, {report.Rejected:N0} rejected in {seconds:N2} s = {rate:N0} rows/s");
                }
                var median = Median(results);
                var peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
                if (asJson)
                    cli.WriteJson(new { Rows = n, Runs = results.Count, RowsPerSecond = results, MedianRowsPerSecond = median, PeakWorkingSetMiB = peakMiB, Cores = Environment.ProcessorCount });
                else
                    AnsiConsole.MarkupLineInterpolated($"[bold]median {median:N0} rows/s[/] over {results.Count} runs ({Environment.ProcessorCount} cores, peak working set {peakMiB:N0} MiB)");
                return 0;
            }
            finally
            {
                File.Delete(file);
            }
        });
        return command;
    }

    private static async Task<(double Seconds, ImportReport Report)> TimeOneImportAsync(DatabaseEndpoint database, string file, CancellationToken ct)
    {
        var baseCs = database.ConnectionString;
        var name = $"virality_bench_{Environment.ProcessId}";
        var admin = new NpgsqlConnectionStringBuilder(baseCs) { Database = "postgres" }.ConnectionString;
        var scratch = new NpgsqlConnectionStringBuilder(baseCs) { Database = name }.ConnectionString;
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name}", ct);
        await ExecuteAsync(admin, $"CREATE DATABASE {name}", ct);
        try
        {
            var options = new DbContextOptionsBuilder<ViralityDbContext>();
            await using var scratchSource = NpgsqlDataSource.Create(scratch);
            ViralityDbContext.Configure(options, scratchSource);
            var factory = new PooledDbContextFactory<ViralityDbContext>(options.Options);
            await using (var db = await factory.CreateDbContextAsync(ct))
                await db.Database.MigrateAsync(ct);
            using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug).AddFilter("Microsoft", LogLevel.Warning));
            var importer = new VideoImporter(factory, TimeProvider.System, loggers.CreateLogger<VideoImporter>());
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var clock = Stopwatch.StartNew();
            var report = await importer.ImportAsync(stream, new ImportOptions(), ct);
            return (clock.Elapsed.TotalSeconds, report);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);
        }
    }

    private static async Task ExecuteAsync(string cs, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static void Log(bool asJson, string line)
    {
        if (asJson)
            Console.Error.WriteLine(line);
        else
            AnsiConsole.WriteLine(line);
    }
}
