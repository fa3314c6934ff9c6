using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Npgsql;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>The rate, data, calibration and predictor pages driven in Chromium against the real app and its database.</summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentPagesFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private async Task<IPage> SignedInOwnerAsync()
    {
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#username", "owner");
        await page.FillAsync("#password", app.OwnerPassword);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    /// <summary>The app's own cluster, joined (not restarted) through its data directory.</summary>
    private async Task<long> ScalarAsync(string sql)
    {
        await using var server = await EmbeddedPostgres.StartAsync(app.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task OwnerRatesThreeVideosWithTheKeyboardAloneAndTheRatingsAreStored()
    {
        var page = await SignedInOwnerAsync();
        await page.GotoAsync("/rate");
        var panel = page.GetByTestId("rate-panel");
        await Assertions.Expect(panel).ToBeFocusedAsync();
        await BrowserSession.ScreenshotAsync(page, "rate");

        var rated = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var link = await page.GetByTestId("video-link").TextContentAsync() ?? "";
            rated.Add(link.Split('·')[^1].Trim());
            foreach (var key in new[] { "8", "7", "Tab", "9", "0" })
                await page.Keyboard.PressAsync(key);
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("video-link")).Not.ToContainTextAsync(rated[^1]);
        }

        var ids = string.Join(",", rated.Select(r => $"'{r}'"));
        Assert.Equal(3, await ScalarAsync($"""
            SELECT count(*) FROM video_ratings r JOIN scraped_videos v ON v.id = r.video_id
            WHERE v.platform_video_id IN ({ids}) AND r.rater = 'owner' AND r.rater_type = 'owner'
              AND r.overall_score = 0.8 AND r.hook = 0.7 AND r.pacing IS NULL AND r.payoff = 0.9 AND r.originality = 1.0 AND r.seconds_spent > 0
            """));
    }

    [Fact]
    public async Task OwnerImportsASmallFileAndSeesTheReport()
    {
        var page = await SignedInOwnerAsync();
        await page.GotoAsync("/data");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync("5,000");
        var csv = """
            video_id,views,likes,shares,comments,saves,duration_seconds,hashtags,sound_name,description,created_at,author_followers,author_verified
            7900000000000000001,1000,100,10,5,20,30,food|vietnam,original sound,browser import one,2026-01-01T10:00:00Z,5000,false
            7900000000000000002,-5,100,10,5,20,30,,snd,negative views,2026-01-01T10:00:00Z,5000,false
            7900000000000000003,2500,300,10,5,,45,,snd,browser import two,2026-01-02T10:00:00Z,800,true
            """;

        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "small.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });

        var report = page.GetByTestId("import-report");
        // The first import of a process warms up the importer and COPY: give it longer than the default 5 s.
        await Assertions.Expect(report).ToContainTextAsync("2 inserted", new() { Timeout = 30_000 });
        await Assertions.Expect(report).ToContainTextAsync("1 rejected");
        await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("line 3");
        await page.GetByPlaceholder("Video id, @handle or caption").FillAsync("browser import");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync("browser import two");
        await BrowserSession.ScreenshotAsync(page, "data");
    }
}
