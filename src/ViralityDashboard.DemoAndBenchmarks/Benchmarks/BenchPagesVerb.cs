using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace ViralityDashboard.DemoAndBenchmarks.Benchmarks;

/// <summary>
/// Times the server's first render of each dashboard page against a running app: signs in through the real
/// login form (antiforgery token and all), then GETs each page and reads the whole prerendered HTML, which is
/// when the pages run their data queries. Interleaves the pages round by round so a burst of load from
/// elsewhere on the machine spreads over all of them rather than landing on one.
/// </summary>
public static partial class BenchPagesVerb
{
    public static readonly string[] DefaultPages = ["/", "/rate", "/training", "/models", "/calibration", "/predict", "/data"];

    public static Command Create(IBenchCli cli)
    {
        var url = new Option<string>("--url") { Description = "The running app", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var user = new Option<string>("--user") { Description = "User name to sign in with", DefaultValueFactory = _ => "owner" };
        var password = new Option<string?>("--password") { Description = "Password (default: the Virality__Owner__Password environment variable)" };
        var runs = new Option<int>("--runs") { Description = "Timed requests per page", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed requests per page first (JIT, connection pools, PostgreSQL's caches)", DefaultValueFactory = _ => 3 };
        var pages = new Option<string[]>("--page") { Description = "A page to time (repeatable); default: every page", AllowMultipleArgumentsPerToken = true };
        var json = cli.Json();
        var command = new Command("bench-pages", "Benchmark the first (prerendered) render of each page of a running app: median and p95 per page")
            { url, user, password, runs, warmup, pages, json };
        runs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError("--runs must be at least 1");
        });
        warmup.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
                r.AddError("--warmup cannot be negative");
        });
        command.SetAction(async (parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("Virality__Owner__Password");
            if (string.IsNullOrEmpty(secret))
                throw new ArgumentException("Give --password or set Virality__Owner__Password.");
            var list = parse.GetValue(pages) is { Length: > 0 } chosen ? chosen : DefaultPages;
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
            {
                BaseAddress = new Uri(parse.GetValue(url)!),
                Timeout = TimeSpan.FromSeconds(60),
            };
            await SignInAsync(http, parse.GetValue(user)!, secret, ct);
            var loadBefore = LoadAverage();

            for (var i = 0; i < parse.GetValue(warmup); i++)
                foreach (var page in list)
                    await TimeAsync(http, page, ct);
            var times = list.ToDictionary(p => p, _ => new List<double>());
            var bytes = new Dictionary<string, long>();
            for (var i = 0; i < parse.GetValue(runs); i++)
            {
                foreach (var page in list)
                {
                    var (ms, length) = await TimeAsync(http, page, ct);
                    times[page].Add(ms);
                    bytes[page] = length;
                }
            }
            var loadAfter = LoadAverage();

            var results = list.Select(p => new PageResult(p, Percentile(times[p], 0.5), Percentile(times[p], 0.95), times[p].Min(), times[p].Max(), bytes[p])).ToList();
            if (asJson)
            {
                foreach (var r in results)
                    Console.Error.WriteLine($"{r.Page}: median {r.MedianMs:N1} ms, p95 {r.P95Ms:N1} ms");
                cli.WriteJson(new { Url = parse.GetValue(url), Runs = parse.GetValue(runs), Pages = results, LoadAverageBefore = loadBefore, LoadAverageAfter = loadAfter, Cores = Environment.ProcessorCount });
            }
            else
            {
                var table = new Table().AddColumns("page", "median ms", "p95 ms", "min ms", "max ms", "KiB");
                foreach (var r in results)
                    table.AddRow(r.Page, r.MedianMs.ToString("N1"), r.P95Ms.ToString("N1"), r.MinMs.ToString("N1"), r.MaxMs.ToString("N1"), (r.Bytes / 1024.0).ToString("N0"));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLineInterpolated($"{parse.GetValue(runs)} timed requests per page after {parse.GetValue(warmup)} warm-up rounds; load average {loadBefore} before, {loadAfter} after ({Environment.ProcessorCount} cores)");
            }
            return 0;
        });
        return command;
    }

    private sealed record PageResult(string Page, double MedianMs, double P95Ms, double MinMs, double MaxMs, long Bytes);

    /// <summary>The static SSR login form: GET it for the antiforgery token (and its cookie), POST it back.</summary>
    internal static async Task SignInAsync(HttpClient http, string user, string password, CancellationToken ct)
    {
        var form = await http.GetStringAsync("/account/login", ct);
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
            throw new InvalidOperationException("The login page has no antiforgery token: is --url the dashboard?");
        using var response = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }), ct);
        // Success redirects to the return URL; a wrong password re-renders the form with 200.
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as '{user}' failed (HTTP {(int)response.StatusCode}): wrong user name or password?");
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(HttpClient http, string page, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(page, HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var ms = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {page} answered HTTP {(int)response.StatusCode}{(response.Headers.Location is { } to ? $" → {to}" : "")}; the timings would not be of the page.");
        return (ms, body.LongLength);
    }

    internal static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        // Nearest rank: the p95 of 20 runs is the 19th value, so it reports a real request, not an interpolation.
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
