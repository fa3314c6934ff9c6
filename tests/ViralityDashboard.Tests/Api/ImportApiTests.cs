using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary>
/// <c>POST /api/import</c> (issue 13 §2) against the running app: the integration tests' Apify fixtures pushed as
/// CSV, JSON and JSON Lines, answered with the CLI's report; the owner's or the key's only; 413, 415 and strict.
/// </summary>
[Collection(ImportAppCollection.Name)]
public sealed class ImportApiTests(ImportApp fixture)
{
    private readonly RunningApp _app = fixture.App;

    private HttpClient Script()
    {
        var http = new HttpClient { BaseAddress = _app.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", _app.ApiKey);
        return http;
    }

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Files", name);

    private static HttpContent Body(string text, string mediaType) =>
        new StringContent(text, Encoding.UTF8, mediaType);

    private static async Task<JsonElement> ProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string[] Wheres(JsonElement report) =>
        [.. report.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("where").GetString()!)];

    [Theory]
    [InlineData("apify.json", "application/json", "apify", "item 3")]
    [InlineData("apify.jsonl", "application/x-ndjson", "apify-jsonl", "line 3")]
    [InlineData("apify.csv", "text/csv", "apify-csv", "line 4")]
    public async Task APushedFileIsImportedAndAnsweredWithTheClisReport(string file, string mediaType, string format, string firstBadRow)
    {
        using var http = Script();
        var content = new StreamContent(File.OpenRead(FixturePath(file)));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        var response = await http.PostAsync("/api/import", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pushed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((format, 4, 2, 2), (pushed.GetProperty("format").GetString(), pushed.GetProperty("read").GetInt32(),
            pushed.GetProperty("inserted").GetInt32() + pushed.GetProperty("updated").GetInt32(), pushed.GetProperty("rejected").GetInt32()));
        Assert.Equal(firstBadRow, Wheres(pushed)[0]);
        // The CLI, importing the same file afterwards, answers the same report (its two videos now stored, so updated).
        var output = await _app.RunCliAsync(["import", FixturePath(file), "--json"]);
        var cli = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(cli.EnumerateObject().Select(p => p.Name), pushed.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, 0), (cli.GetProperty("updated").GetInt32(), cli.GetProperty("inserted").GetInt32()));
        foreach (var same in new[] { "format", "read", "rejected", "flagged", "errors" })
            Assert.True(JsonElement.DeepEquals(cli.GetProperty(same), pushed.GetProperty(same)), $"{same}: {cli.GetProperty(same)} vs {pushed.GetProperty(same)}");
    }

    [Fact]
    public async Task StrictTrueRefusesTheFirstBadRowAndWritesNothing()
    {
        using var http = Script();
        const string csv = "video_id,views,likes,shares,comments\n7500000000000000001,1000,100,10,5\n7500000000000000002,-1,1,0,0\n";

        var strict = await http.PostAsync("/api/import?strict=true", Body(csv, "text/csv"));
        var problem = await ProblemAsync(HttpStatusCode.BadRequest, strict);
        var lenient = await http.PostAsync("/api/import", Body(csv, "text/csv"));

        Assert.Equal("line 3", problem.GetProperty("where").GetString());
        Assert.Contains("views is negative", problem.GetProperty("reason").GetString());
        // Nothing of the strict push was stored: the next push inserts the good video.
        var report = JsonDocument.Parse(await lenient.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((1, 0, 1), (report.GetProperty("inserted").GetInt32(), report.GetProperty("updated").GetInt32(), report.GetProperty("rejected").GetInt32()));
    }

    [Fact]
    public async Task ScrapedAtStampsTheRowsWithoutATimeAndABadOneIs400()
    {
        using var http = Script();
        const string csv = "video_id,views,likes,shares,comments,created_at\n7523000000000000001,1000,100,10,5,2017-11-10T19:19:43Z\n";

        var bad = await ProblemAsync(HttpStatusCode.BadRequest, await http.PostAsync("/api/import?scrapedAt=yesterday", Body(csv, "text/csv")));
        var future = await ProblemAsync(HttpStatusCode.BadRequest, await http.PostAsync("/api/import?scrapedAt=2999-01-01T00:00:00Z", Body(csv, "text/csv")));
        var day1 = await http.PostAsync("/api/import?scrapedAt=2017-11-14T12:00:00Z", Body(csv, "text/csv"));
        var day1Again = await http.PostAsync("/api/import?scrapedAt=2017-11-14T12:00:00Z", Body(csv, "text/csv"));
        var day2 = await http.PostAsync("/api/import?scrapedAt=2017-11-15T12:00:00Z", Body(csv, "text/csv"));

        Assert.Equal("scrapedAt 'yesterday' is not a date and time (expected ISO 8601, e.g. 2025-02-12T14:57:40Z); nothing was written.", bad.GetProperty("detail").GetString());
        Assert.Equal("scrapedAt 2999-01-01 00:00:00Z is in the future; nothing was written.", future.GetProperty("detail").GetString());
        // The same counts at a second scrape time are a second snapshot; at the same time, nothing new.
        int Snapshots(HttpResponseMessage r) => JsonDocument.Parse(r.Content.ReadAsStringAsync().Result).RootElement.GetProperty("snapshots").GetInt32();
        Assert.Equal((1, 0, 1), (Snapshots(day1), Snapshots(day1Again), Snapshots(day2)));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task AnotherMediaTypeIs415(string mediaType)
    {
        using var http = Script();

        var response = await http.PostAsync("/api/import", Body("video_id,views,likes,shares,comments\n", mediaType));

        await ProblemAsync(HttpStatusCode.UnsupportedMediaType, response);
    }

    [Fact]
    public async Task ABodyDeclaredLargerThanTheLimitIs413()
    {
        using var http = Script();
        var content = new ByteArrayContent(new byte[ImportApp.MaxImportBytes + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await http.PostAsync("/api/import", content);

        var problem = await ProblemAsync(HttpStatusCode.RequestEntityTooLarge, response);
        Assert.Contains("MaxImportBytes", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AStreamedBodyThatGrowsPastTheLimitIs413AndWritesNothing()
    {
        using var http = Script();
        // Valid rows with new ids, past the limit: the server reads and stages them until Kestrel cuts the body off.
        var rows = new StringBuilder("video_id,views,likes,shares,comments\n");
        for (var i = 0; rows.Length <= ImportApp.MaxImportBytes + 64 * 1024; i++)
            rows.Append(CultureInvariant($"76{i:D17},1000,100,10,5\n"));
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(rows.ToString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await http.SendAsync(request);

        await ProblemAsync(HttpStatusCode.RequestEntityTooLarge, response);
        // The body's first video: had any of it been written, this would update it.
        var probe = await http.PostAsync("/api/import", Body("video_id,views,likes,shares,comments\n7600000000000000000,1,1,1,1\n", "text/csv"));
        var report = JsonDocument.Parse(await probe.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, report.GetProperty("inserted").GetInt32());
    }

    private static string CultureInvariant(FormattableString s) => s.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ATruncatedFileIs400NamingWhere()
    {
        using var http = Script();

        var response = await http.PostAsync("/api/import", Body("""[{"id":"7500000000000000009","playCount":1""", "application/json"));

        var problem = await ProblemAsync(HttpStatusCode.BadRequest, response);
        Assert.Contains("truncated", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task NoCredentialsIs401()
    {
        using var anonymous = new HttpClient { BaseAddress = _app.BaseAddress };

        var response = await anonymous.PostAsync("/api/import", Body("video_id,views,likes,shares,comments\n", "text/csv"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AViewerIs403AndTheOwnersCookieFromAnotherSiteIs403()
    {
        var viewer = $"viewer-{Guid.NewGuid():N}"[..16];
        await _app.RunCliAsync(["users", "add", viewer, "--role", "viewer", "--password", "Viewer-Pass-2026"]);
        using var viewerHttp = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await _app.SignInAsync(viewerHttp, viewer, "Viewer-Pass-2026")).StatusCode);
        using var ownerHttp = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await _app.SignInAsync(ownerHttp, "owner", _app.OwnerPassword)).StatusCode);
        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = Body("video_id,views,likes,shares,comments\n", "text/csv") };
        crossSite.Headers.Add("Origin", "http://evil.example");

        var byViewer = await viewerHttp.PostAsync("/api/import", Body("video_id,views,likes,shares,comments\n", "text/csv"));
        var fromElsewhere = await ownerHttp.SendAsync(crossSite);
        var byOwner = await ownerHttp.PostAsync("/api/import", Body("video_id,views,likes,shares,comments\n", "text/csv"));

        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        await ProblemAsync(HttpStatusCode.Forbidden, fromElsewhere);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
    }

    [Fact]
    public void TheAppSaidWhichPostgresProgramsItRuns()
    {
        // Issue 13 §5: with several versions installed, the start-up log names the ones chosen and why.
        Assert.Matches(@"PostgreSQL programs: \S*initdb, \S*pg_ctl \(found by [^)]+\)", _app.Output);
    }

    public static TheoryData<string, string, string, int> RealFiles => new()
    {
        { "vn_creators.csv", "text/csv", "csv", 3919 },
        { "trending_collector.json", "application/json", "tiktok-scraper", 1000 },
        { "web_items/_dieulinh16_.json", "application/json", "tiktok-web-items", 2 },
        { "web_items/amthucphatgiao.kt.json", "application/json", "tiktok-web-items", 2 },
        { "web_items/angelmikeden.json", "application/json", "tiktok-web-items", 1 },
    };

    [Theory]
    [Trait("Category", "RealData")]
    [MemberData(nameof(RealFiles))]
    public async Task TheRealFilesImportThroughHttp(string file, string mediaType, string format, int rows)
    {
        using var http = Script();
        var path = Path.Combine(SharedTikTokData(), file);
        var content = new StreamContent(File.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        var response = await http.PostAsync("/api/import?strict=true", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(format, report.GetProperty("format").GetString());
        Assert.Equal(0, report.GetProperty("rejected").GetInt32());
        Assert.Equal(rows, report.GetProperty("read").GetInt32());
        Assert.Equal(rows, report.GetProperty("inserted").GetInt32() + report.GetProperty("updated").GetInt32());
    }

    /// <summary>The real data beside the repository (../shared/data/tiktok), never copied into it.</summary>
    private static string SharedTikTokData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "tiktok");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"No shared/data/tiktok folder above {AppContext.BaseDirectory}: the RealData tests need ../shared beside the repository.");
    }
}
