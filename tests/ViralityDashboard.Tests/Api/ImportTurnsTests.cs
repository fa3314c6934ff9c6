using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;
using Xunit.Abstractions;

namespace ViralityDashboard.Tests.Api;

/// <summary>
/// Imports that arrive together take turns (issue 22 §3): through the API and the CLI both succeed with the counts of one
/// after the other; one that waits longer than <c>Virality:Import:WaitSeconds</c> is refused with 503 and Retry-After
/// (the CLI: exit code 3), never 500. And an upload the client abandons leaves a log line (§6).
/// </summary>
[Collection(ImportAppCollection.Name)]
public sealed class ImportTurnsTests(ImportApp fixture, ITestOutputHelper output)
{
    private readonly RunningApp _app = fixture.App;

    /// <summary>Rows <paramref name="from"/> up to <paramref name="to"/> of the normalized CSV under a prefix of the test's own, in a temporary file.</summary>
    private static string WriteCsv(string prefix, int from, int to, int views)
    {
        var path = Path.Combine(Path.GetTempPath(), $"virality-turns-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder("video_id,views,likes,shares,comments\n");
        for (var i = from; i < to; i++)
            text.Append(CultureInfo.InvariantCulture, $"{prefix}{i:D17},{views},{views / 10},1,2\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private HttpClient Script()
    {
        var http = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", _app.ApiKey);
        return http;
    }

    private static async Task<HttpResponseMessage> PushAsync(HttpClient http, string path)
    {
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await http.PostAsync("/api/import", content);
    }

    private static (long Inserted, long Updated) Counts(JsonElement report) =>
        (report.GetProperty("inserted").GetInt64(), report.GetProperty("updated").GetInt64());

    /// <summary>
    /// 20,000 stored, then 70,000 rows twice at once with 60,000 in common: the first merge into the filled table
    /// rebuilds the indexes, where the deadlock was. One after the other they make 80,000 inserts and 60,000 updates
    /// whichever goes first; so must the pair.
    /// </summary>
    private static (string Stored, string First, string Second) LargeFiles(string prefix) =>
        (WriteCsv(prefix, 200_000, 220_000, 50), WriteCsv(prefix, 0, 70_000, 100), WriteCsv(prefix, 10_000, 80_000, 200));

    [Fact]
    public async Task TwoLargeImportsPushedAtOnceBothSucceedWithTheCountsOfOneAfterTheOther()
    {
        var (stored, first, second) = LargeFiles("78");
        try
        {
            using var http = Script();
            (await PushAsync(http, stored)).EnsureSuccessStatusCode();

            var responses = await Task.WhenAll(PushAsync(http, first), PushAsync(http, second));

            var reports = new List<JsonElement>();
            foreach (var response in responses)
            {
                var body = await response.Content.ReadAsStringAsync();
                output.WriteLine($"{(int)response.StatusCode}: {body}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                reports.Add(JsonDocument.Parse(body).RootElement);
            }
            Assert.Equal((80_000L, 60_000L), (reports.Sum(r => Counts(r).Inserted), reports.Sum(r => Counts(r).Updated)));
        }
        finally
        {
            foreach (var path in new[] { stored, first, second })
                File.Delete(path);
        }
    }

    [Fact]
    public async Task TwoLargeCliImportsAtOnceBothSucceedWithTheCountsOfOneAfterTheOther()
    {
        var (stored, first, second) = LargeFiles("79");
        try
        {
            await _app.RunCliAsync(["import", stored]);

            var runs = await Task.WhenAll(_app.RunCliForExitCodeAsync(["import", first, "--json"]), _app.RunCliForExitCodeAsync(["import", second, "--json"]));

            foreach (var (exitCode, stdout, errors) in runs)
            {
                output.WriteLine($"exit {exitCode}: {stdout.Trim().Split('\n')[^1]} {errors}");
                Assert.Equal(0, exitCode);
            }
            var reports = runs.Select(r => JsonDocument.Parse(r.Output.Trim().Split('\n')[^1]).RootElement).ToList();
            Assert.Equal((80_000L, 60_000L), (reports.Sum(r => Counts(r).Inserted), reports.Sum(r => Counts(r).Updated)));
        }
        finally
        {
            foreach (var path in new[] { stored, first, second })
                File.Delete(path);
        }
    }

    [Fact]
    public async Task AnImportThatWaitsOutItsTurnGets503WithRetryAfterAndTheCliExitCode3()
    {
        // The turn is held as a running import holds it: a transaction's advisory lock on the app's own database.
        await using var server = await EmbeddedPostgres.StartAsync(_app.DataDirectory, NullLogger.Instance);
        await using var holder = new NpgsqlConnection(server.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('import:scraped_videos'))", holder, tx))
            await hold.ExecuteNonQueryAsync();
        var file = WriteCsv("77", 0, 10, 10);
        try
        {
            using var http = Script();
            using var refused = await PushAsync(http, file);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without a Retry-After");
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Contains("another import is running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

            var (exitCode, _, errors) = await _app.RunCliForExitCodeAsync(["import", file], new Dictionary<string, string> { ["Virality__Import__WaitSeconds"] = "1" });
            Assert.Equal(3, exitCode);
            Assert.Contains("another import is running", errors, StringComparison.Ordinal);

            await tx.RollbackAsync();
            using var accepted = await PushAsync(http, file);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUploadTheClientAbandonsLeavesALogLineWithTheBytesReceived()
    {
        var rows = new StringBuilder("video_id,views,likes,shares,comments\n");
        for (var i = 0; rows.Length < 512 * 1024; i++)
            rows.Append(CultureInfo.InvariantCulture, $"76{i:D17},10,1,0,0\n");
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(_app.BaseAddress.Host, _app.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"POST /api/import HTTP/1.1\r\nHost: {_app.BaseAddress.Authority}\r\nX-Api-Key: {_app.ApiKey}\r\n"
                + "Content-Type: text/csv\r\nContent-Length: 3000000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + rows));
            await stream.FlushAsync();
            await Task.Delay(1000); // the import has started on what arrived
        } // closed with two thirds of the body unsent

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_app.Output.Contains("Import aborted by the client after", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(200);

        var line = _app.Output.Split('\n').FirstOrDefault(l => l.Contains("Import aborted by the client after", StringComparison.Ordinal));
        Assert.True(line is not null, $"no log line for the abandoned upload:\n{_app.Output[^Math.Min(_app.Output.Length, 3000)..]}");
        output.WriteLine(line);
        Assert.Matches(@"after [1-9][\d,]* bytes", line);
    }
}
