using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Spectre.Console;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// Measures the import path on a generated normalized CSV, in a scratch database on the same server
/// (created and dropped here), so the user's data is never touched. Beside our import it times what psql
/// alone does with the same file on the same server, so the figures read as ratios to PostgreSQL's own speed:
/// <c>\copy</c> into a keyed table (a first load) and COPY into a staging table + INSERT … ON CONFLICT DO UPDATE
/// (a re-import). The re-import file is the same videos with changed counts.
/// </summary>
public static class BenchImportVerb
{
    public static Command Create(IBenchCli cli)
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated CSV", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Runs of every figure; the median is reported", DefaultValueFactory = _ => 3 };
        var fillFactor = new Option<int>("--fillfactor") { Description = "Set scraped_videos' fillfactor (10–100) before each of our loads, to measure that lever (psql's table keeps the default, as the issue measured it); 0 keeps the migration's" };
        var json = cli.Json();
        var command = new Command("bench-import", "Benchmark importing a generated CSV against psql's \\copy and staging + ON CONFLICT; uses a scratch database") { rows, runs, fillFactor, json };
        foreach (var option in new[] { rows, runs })
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                    r.AddError($"{option.Name} must be at least 1");
            });
        fillFactor.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is var f && f != 0 && f is < 10 or > 100)
                r.AddError("--fillfactor must be 0 or from 10 to 100");
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await cli.StartHostAsync(parse.GetValue(cli.DataDir), ct);
            var n = parse.GetValue(rows);
            var asJson = parse.GetValue(json);
            var first = Path.Combine(Path.GetTempPath(), $"virality-bench-{Environment.ProcessId}.csv");
            var again = Path.Combine(Path.GetTempPath(), $"virality-bench-{Environment.ProcessId}-changed.csv");
            try
            {
                var generate = Stopwatch.StartNew();
                var demo = new DemoDataOptions { Videos = n, Analyzed = 0, Now = DateTimeOffset.UtcNow };
                await WriteCsvAsync(first, DemoDataGenerator.GenerateVideos(demo), ct);
                await WriteCsvAsync(again, DemoDataGenerator.GenerateVideos(demo).Select(Rescraped), ct);
                Log(asJson, $"Generated {n:N0} rows twice ({new FileInfo(first).Length / 1048576.0:N1} MiB each) in {generate.Elapsed.TotalSeconds:N1} s");

                var bench = new Scratch(host.Database, parse.GetValue(fillFactor));
                var figures = Figure.All.ToDictionary(f => f, _ => new List<double>());
                for (var run = 1; run <= parse.GetValue(runs); run++)
                {
                    var times = await bench.RunAsync(first, again, n, ct);
                    foreach (var (figure, seconds) in times)
                        figures[figure].Add(seconds);
                    Log(asJson, $"run {run}: " + string.Join(", ", times.Select(t => $"{t.Key.Name} {t.Value:N2} s")));
                }
                var median = figures.ToDictionary(f => f.Key, f => Median(f.Value));
                var ratios = new Dictionary<string, double>
                {
                    ["firstLoadToPsqlCopy"] = median[Figure.FirstLoad] / median[Figure.PsqlCopy],
                    ["changedToPsqlUpsert"] = median[Figure.Changed] / median[Figure.PsqlUpsert],
                    ["unchangedToPsqlUpsert"] = median[Figure.Unchanged] / median[Figure.PsqlUpsert],
                    ["changedToChangedWithoutSnapshots"] = median[Figure.Changed] / median[Figure.ChangedWithoutSnapshots],
                };
                var peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
                var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
                if (asJson)
                {
                    cli.WriteJson(new
                    {
                        Rows = n,
                        Runs = parse.GetValue(runs),
                        MedianSeconds = median.ToDictionary(m => m.Key.Name, m => m.Value),
                        Seconds = figures.ToDictionary(f => f.Key.Name, f => f.Value),
                        Ratios = ratios,
                        MedianRowsPerSecond = n / median[Figure.FirstLoad],
                        PeakWorkingSetMiB = peakMiB,
                        Cores = Environment.ProcessorCount,
                        LoadAverage = load,
                    });
                    return 0;
                }
                var table = new Table().AddColumns("", "median", "rows/s", "ratio");
                foreach (var f in Figure.All)
                    table.AddRow(f.Label, $"{median[f]:N2} s", $"{n / median[f]:N0}", f.RatioTo is { } to ? $"{median[f] / median[to]:N2}× {to.Name}" : "");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLineInterpolated($"[bold]targets[/]: first load ≤ 2.0× psqlCopy, changed ≤ 1.5× psqlUpsert, unchanged ≤ 1.0× psqlUpsert, changed ≤ 1.3× changedWithoutSnapshots");
                AnsiConsole.WriteLine($"{Environment.ProcessorCount} cores, load average {load}, peak working set {peakMiB:N0} MiB");
                return 0;
            }
            finally
            {
                File.Delete(first);
                File.Delete(again);
            }
        });
        return command;
    }

    /// <summary>One timed figure of a run; <see cref="RatioTo"/> is the psql figure it is compared with.</summary>
    private sealed record Figure(string Name, string Label, Figure? RatioTo)
    {
        public static readonly Figure PsqlCopy = new("psqlCopy", "psql \\copy into a keyed table", null);
        public static readonly Figure PsqlUpsert = new("psqlUpsert", "psql COPY to staging + ON CONFLICT DO UPDATE (changed)", null);
        public static readonly Figure FirstLoad = new("firstLoad", "our first load into an empty table", PsqlCopy);
        public static readonly Figure Changed = new("changed", "our re-import, all counts changed", PsqlUpsert);
        public static readonly Figure Unchanged = new("unchanged", "our re-import, nothing changed", PsqlUpsert);
        public static readonly Figure ChangedWithoutSnapshots = new("changedWithoutSnapshots", "our re-import, counts changed, no snapshots", PsqlUpsert);
        public static readonly Figure[] All = [PsqlCopy, PsqlUpsert, FirstLoad, Changed, Unchanged, ChangedWithoutSnapshots];
    }

    /// <summary>The next day's scrape of the same video: every count grown, everything else as it was.</summary>
    private static ScrapedVideoRecord Rescraped(ScrapedVideoRecord v) => v with
    {
        Views = v.Views + v.Views / 20 + 1,
        Likes = v.Likes + v.Likes / 20,
        Shares = v.Shares + 1,
        Comments = v.Comments + 1,
    };

    private static async Task WriteCsvAsync(string path, IEnumerable<ScrapedVideoRecord> videos, CancellationToken ct)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await CsvVideoWriter.WriteAsync(writer, videos, ct);
    }

    /// <summary>The scratch database, made afresh for each part of a run so no part inherits another's dead rows.</summary>
    private sealed class Scratch(DatabaseEndpoint database, int fillFactor)
    {
        private readonly string _name = $"virality_bench_{Environment.ProcessId}";
        private string Admin => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
        private string ConnectionString => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = _name }.ConnectionString;

        public async Task<Dictionary<Figure, double>> RunAsync(string first, string again, int n, CancellationToken ct)
        {
            var times = new Dictionary<Figure, double>();
            await WithDatabaseAsync(async () =>
            {
                // The CSV's own 13 columns, keyed by video id as scraped_videos is by (platform, id).
                await ExecuteAsync(ConnectionString, $"""
                    CREATE TABLE psql_videos (video_id text PRIMARY KEY, views bigint, likes bigint, shares bigint, comments bigint,
                        saves bigint, duration double precision, hashtags text, sound_name text, description text,
                        created_at timestamptz, author_followers bigint, author_verified boolean)
                    """, ct);
                times[Figure.PsqlCopy] = await PsqlAsync($"\\copy psql_videos FROM '{first}' CSV HEADER\n", ct);
                times[Figure.PsqlUpsert] = await PsqlAsync($"""
                    BEGIN;
                    CREATE TEMP TABLE psql_staging (LIKE psql_videos) ON COMMIT DROP;
                    \copy psql_staging FROM '{again}' CSV HEADER
                    INSERT INTO psql_videos SELECT * FROM psql_staging
                    ON CONFLICT (video_id) DO UPDATE SET views = excluded.views, likes = excluded.likes, shares = excluded.shares,
                        comments = excluded.comments, saves = excluded.saves, duration = excluded.duration, hashtags = excluded.hashtags,
                        sound_name = excluded.sound_name, description = excluded.description, created_at = excluded.created_at,
                        author_followers = excluded.author_followers, author_verified = excluded.author_verified;
                    COMMIT;

                    """, ct);
            }, ct);
            await WithDatabaseAsync(async () =>
            {
                times[Figure.FirstLoad] = await ImportAsync(first, n, inserted: n, snapshots: true, ct);
                times[Figure.Changed] = await ImportAsync(again, n, inserted: 0, snapshots: true, ct);
                times[Figure.Unchanged] = await ImportAsync(again, n, inserted: 0, snapshots: true, ct);
            }, ct);
            await WithDatabaseAsync(async () =>
            {
                await ImportAsync(first, n, inserted: n, snapshots: false, ct);
                times[Figure.ChangedWithoutSnapshots] = await ImportAsync(again, n, inserted: 0, snapshots: false, ct);
            }, ct);
            return times;
        }

        private async Task WithDatabaseAsync(Func<Task> body, CancellationToken ct)
        {
            await DropAsync(ct);
            await ExecuteAsync(Admin, $"CREATE DATABASE {_name}", ct);
            try
            {
                await body();
            }
            finally
            {
                // The importer's data source keeps its own idle connections (ClearAllPools does not reach them), and
                // DROP DATABASE refuses a database anyone is connected to.
                if (_source is not null)
                    await _source.DisposeAsync();
                (_source, _factory) = (null, null);
                NpgsqlConnection.ClearAllPools();
                await DropAsync(ct);
            }
        }

        /// <summary>
        /// A plain DROP DATABASE first: it stops an autovacuum worker busy in the database (after a million-row load
        /// there usually is one), which WITH (FORCE) refuses to signal for a role that is not a superuser.
        /// </summary>
        private async Task DropAsync(CancellationToken ct)
        {
            try
            {
                await ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {_name}", ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                await ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", ct);
            }
        }

        private PooledDbContextFactory<ViralityDbContext>? _factory;
        private NpgsqlDataSource? _source;

        private async Task<double> ImportAsync(string file, int n, long inserted, bool snapshots, CancellationToken ct)
        {
            if (_factory is null || inserted > 0)
            {
                if (_source is not null)
                    await _source.DisposeAsync();
                var options = new DbContextOptionsBuilder<ViralityDbContext>();
                _source = NpgsqlDataSource.Create(ConnectionString);
                ViralityDbContext.Configure(options, _source);
                _factory = new PooledDbContextFactory<ViralityDbContext>(options.Options);
                await using (var db = await _factory.CreateDbContextAsync(ct))
                    await db.Database.MigrateAsync(ct);
                if (fillFactor > 0)
                    await ExecuteAsync(ConnectionString, $"ALTER TABLE scraped_videos SET (fillfactor = {fillFactor})", ct);
            }
            using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug).AddFilter("Microsoft", LogLevel.Warning));
            var importer = new VideoImporter(_factory, TimeProvider.System, loggers.CreateLogger<VideoImporter>());
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var clock = Stopwatch.StartNew();
            var report = await importer.ImportAsync(stream, new ImportOptions { RecordSnapshots = snapshots }, ct);
            var seconds = clock.Elapsed.TotalSeconds;
            if (report.Inserted != inserted || report.Inserted + report.Updated != n)
                throw new InvalidOperationException($"the benchmark's import did not do what it measures: {report}");
            return seconds;
        }

        /// <summary>Runs a psql script on the scratch database and times the whole process, as a user would.</summary>
        private async Task<double> PsqlAsync(string script, CancellationToken ct)
        {
            var cs = new NpgsqlConnectionStringBuilder(ConnectionString);
            var start = new ProcessStartInfo(PsqlPath(), ["-X", "-q", "-v", "ON_ERROR_STOP=1"])
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["PGHOST"] = cs.Host;
            start.Environment["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = cs.Username;
            start.Environment["PGPASSWORD"] = cs.Password;
            start.Environment["PGDATABASE"] = cs.Database;
            var clock = Stopwatch.StartNew();
            using var psql = Process.Start(start) ?? throw new InvalidOperationException("psql did not start");
            await psql.StandardInput.WriteAsync(script.AsMemory(), ct);
            psql.StandardInput.Close();
            var error = psql.StandardError.ReadToEndAsync(ct);
            await psql.StandardOutput.ReadToEndAsync(ct);
            await psql.WaitForExitAsync(ct);
            var seconds = clock.Elapsed.TotalSeconds;
            if (psql.ExitCode != 0)
                throw new InvalidOperationException($"psql failed ({psql.ExitCode}): {await error}");
            return seconds;
        }

        /// <summary>psql beside the server programs the embedded cluster uses, else the one on PATH.</summary>
        private static string PsqlPath()
        {
            try
            {
                var beside = Path.Combine(PostgresBinaries.Find().Directory, "psql");
                return File.Exists(beside) ? beside : "psql";
            }
            catch (EmbeddedPostgresException)
            {
                return "psql";
            }
        }
    }

    private static async Task ExecuteAsync(string cs, string sql, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
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
