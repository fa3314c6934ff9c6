using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>The rate, data, calibration and predictor pages driven in Chromium against the real app and its database.</summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentPagesFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    /// <summary>The app's own cluster, joined (not restarted) through its data directory.</summary>
    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await app.ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task OwnerRatesThreeVideosWithTheKeyboardAloneAndTheRatingsAreStored()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/rate");
        var panel = page.GetByTestId("rate-panel");
        await Assertions.Expect(panel).ToBeFocusedAsync();

        var rated = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var link = await page.GetByTestId("video-link").TextContentAsync() ?? "";
            rated.Add(link.Split('·')[^1].Trim());
            foreach (var key in new[] { "8", "7", "Tab", "9", "0" })
                await page.Keyboard.PressAsync(key);
            if (i == 0)
            {
                await Assertions.Expect(page.GetByTestId("step-value").Nth(4)).ToHaveTextAsync("10/10");
                await page.WaitForTimeoutAsync(400); // the buttons' colour transition, for a readable screenshot
                await BrowserSession.ScreenshotAsync(page, "rate");
            }
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
        // Other tests of this shared app count exactly 5,000 demo videos: this file updates one of them and
        // has one bad row, so it inserts nothing.
        var existing = await ScalarAsync("SELECT platform_video_id::bigint FROM scraped_videos ORDER BY id LIMIT 1");
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/data");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync("5,000");
        var csv = $"""
            video_id,views,likes,shares,comments,saves,duration_seconds,hashtags,sound_name,description,created_at,author_followers,author_verified
            {existing},123456,7890,10,5,20,30,food|vietnam,original sound,updated by a browser import,2026-01-01T10:00:00Z,5000,false
            7900000000000000002,-5,100,10,5,20,30,,snd,negative views,2026-01-01T10:00:00Z,5000,false
            """;

        await BrowserSession.ChooseFileAsync(page.Locator("input[type=file]"), new FilePayload { Name = "small.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(page.GetByTestId("import-progress").Or(page.GetByTestId("import-report")).First).ToBeVisibleAsync(); // the upload started

        var report = page.GetByTestId("import-report");
        // The first import of a process warms up the importer and COPY, on two cores shared with other builds:
        // give it far longer than the default 5 s.
        await Assertions.Expect(report).ToContainTextAsync("1 updated", new() { Timeout = 90_000 });
        await Assertions.Expect(report).ToContainTextAsync("0 inserted");
        await Assertions.Expect(report).ToContainTextAsync("1 rejected");
        await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("line 3");
        await page.GetByPlaceholder("Video id, @handle or caption").FillAsync(existing.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync("updated by a browser import");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync("123,456");
        await BrowserSession.ScreenshotAsync(page, "data");
    }

    [Fact]
    public async Task OwnerComputesABaselineAndSeesPercentilesAndCharts()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/calibration");

        await page.GetByTestId("compute-baseline").ClickAsync();

        await Assertions.Expect(page.GetByTestId("latest-baseline")).ToContainTextAsync("Latest baseline #", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("baseline-history").Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("views-distribution").Locator(".main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tier-share").Locator(".main-svg").First).ToBeVisibleAsync();
        Assert.True(await ScalarAsync("SELECT count(*) FROM calibration_baselines") >= 1);
        await page.WaitForTimeoutAsync(500); // let Plotly finish its transitions before the screenshot
        await BrowserSession.ScreenshotAsync(page, "calibration");
    }

    [Fact]
    public async Task OwnerPredictsWithTheActiveModelAndSeesAScore()
    {
        await TrainThroughTheCliAsync();
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/predict");

        await page.GetByTestId("predict").ClickAsync();

        await Assertions.Expect(page.GetByTestId("score")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d{1,3}$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("tier")).ToContainTextAsync("tier ");
        await Assertions.Expect(page.GetByTestId("contributions").Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("tier-probabilities").Locator(".main-svg").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // let Plotly finish drawing before the screenshot
        await BrowserSession.ScreenshotAsync(page, "predict");
    }

    /// <summary>The demo data has no model: train one as a user would, with the CLI against the app's data directory.</summary>
    private async Task TrainThroughTheCliAsync()
    {
        if (await ScalarAsync("SELECT count(*) FROM model_versions WHERE is_active") > 0)
            return;
        await app.RunCliAsync(["train"], new Dictionary<string, string> { ["Virality__Training__GateMinimumAccuracy"] = "0" });
    }
}
