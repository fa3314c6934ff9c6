using System.Globalization;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// Issue 11 §5 in Chromium, one test per numbered flow of the Rate page, plus the Data and video pages' columns,
/// heading and way back. The machine is offline: TikTok's player cannot load, which is the "works offline" case.
/// </summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RateFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private async Task<string?> QueryAsync(string sql) => Convert.ToString(await app.ScalarAsync(sql), CultureInfo.InvariantCulture);

    private async Task<IPage> RatePageAsync()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        await BrowserSession.GotoInteractiveAsync(page, "/rate");
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        return page;
    }

    private static async Task FilterAsync(IPage page, string text)
    {
        await page.GetByPlaceholder("Filter: caption").FillAsync(text);
    }

    private static async Task ExpectNoErrorAsync(IPage page) =>
        await Assertions.Expect(page.GetByText("Something went wrong")).ToHaveCountAsync(0);

    private static string VideoId(string link) => link.Split('·')[^1].Trim();

    [Fact]
    public async Task AFilterWithNoMatchAndFiftySkipsShowAnEmptyStateAndLoadMoreNotACrash()
    {
        var page = await RatePageAsync();

        await FilterAsync(page, "@no-such-author-anywhere");
        await Assertions.Expect(page.GetByTestId("queue-empty")).ToContainTextAsync("No unrated");
        await ExpectNoErrorAsync(page);
        await BrowserSession.ScreenshotAsync(page, "rate-empty");
        await page.GetByTestId("clear-filter").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();

        var first = VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "");
        for (var i = 0; i < 50; i++)
            await page.Keyboard.PressAsync("s");
        await Assertions.Expect(page.GetByTestId("queue-empty")).ToContainTextAsync("end of this batch");
        await ExpectNoErrorAsync(page);

        await page.GetByTestId("load-more").ClickAsync();

        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("1 of 50");
        Assert.NotEqual(first, VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "")); // the next batch, not the skipped one
    }

    [Fact]
    public async Task AnAtHandleFindsTheAuthorsVideosOnTheRateAndDataPages()
    {
        var handle = await QueryAsync("""
            SELECT author_handle FROM scraped_videos v WHERE author_handle IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM video_ratings r WHERE r.video_id = v.id)
            GROUP BY author_handle ORDER BY count(*) DESC, author_handle LIMIT 1
            """) ?? throw new InvalidOperationException("The demo data has no handles.");
        var page = await RatePageAsync();

        await FilterAsync(page, "@" + handle);

        await Assertions.Expect(page.GetByTestId("rate-filter").Or(page.GetByPlaceholder("Filter: caption")).First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(1_500); // the filter's 400 ms debounce and the reload, for the screenshot
        await BrowserSession.ScreenshotAsync(page, "rate-handle");
        await Assertions.Expect(page.GetByTestId("video-link")).ToContainTextAsync("@" + handle);
        await page.Keyboard.PressAsync("s");
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("2 of ");
        await Assertions.Expect(page.GetByTestId("video-link")).ToContainTextAsync("@" + handle);

        await BrowserSession.GotoInteractiveAsync(page, "/data");
        await page.GetByPlaceholder("Video id, @handle or caption").FillAsync("@" + handle);
        var total = await QueryAsync($"SELECT count(*) FROM scraped_videos WHERE author_handle ILIKE '{handle}%'");
        var rows = page.GetByTestId("videos-table").Locator("tbody tr");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToContainTextAsync($"of {long.Parse(total!, CultureInfo.InvariantCulture):N0}");
        foreach (var row in await rows.AllAsync())
            await Assertions.Expect(row).ToContainTextAsync(handle);
    }

    [Fact]
    public async Task TheVideoShowsInTikToksPlayerWithALinkAndThePageWorksWithoutIt()
    {
        var violations = new List<string>();
        var page = await browser.SignInAsOwnerAsync(app);
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations) violations.Add(m.Text);
        };
        await BrowserSession.GotoInteractiveAsync(page, "/rate");
        var id = VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "");

        await Assertions.Expect(page.Locator("iframe[data-testid=video-embed]")).ToHaveAttributeAsync("src", $"https://www.tiktok.com/embed/v2/{id}");
        await Assertions.Expect(page.GetByTestId("open-on-tiktok")).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex($"^https://www\\.tiktok\\.com/@[^/]+/video/{id}$"));
        await Assertions.Expect(page.GetByTestId("open-on-tiktok")).ToHaveAttributeAsync("target", "_blank");

        // Offline the frame shows Chromium's error page, inside the frame: the keyboard flow goes on.
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("5");
        await Assertions.Expect(page.GetByTestId("step-value").First).ToHaveTextAsync("5/10");
        await ExpectNoErrorAsync(page);
        Assert.DoesNotContain(violations, v => v.Contains("frame-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnalyzedVideosComeFirstAndARatingOfANotAnalyzedVideoIsKeptForLater()
    {
        var page = await RatePageAsync();

        await Assertions.Expect(page.GetByTestId("counts-toward")).ToContainTextAsync("Counts toward my preference model");
        await BrowserSession.ScreenshotAsync(page, "rate-analyzed");
        // The demo seeds 40 analyzed videos awaiting a rating: after them (and a few others) come the not analyzed ones.
        var analyzedWaiting = int.Parse(await QueryAsync("""
            SELECT count(*) FROM scraped_videos v WHERE EXISTS (SELECT 1 FROM analyzed_videos a WHERE a.video_id = v.id AND a.feature_count >= 100)
              AND NOT EXISTS (SELECT 1 FROM video_ratings r WHERE r.video_id = v.id)
            """) ?? "0", CultureInfo.InvariantCulture);
        for (var i = 0; i < analyzedWaiting; i++)
            await page.Keyboard.PressAsync("s");
        await Assertions.Expect(page.GetByTestId("counts-toward")).ToContainTextAsync("Not analyzed yet");
        var id = VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "");

        await page.Keyboard.PressAsync("6");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("counts toward your preference model once the video is analyzed");
        Assert.Equal("1", await QueryAsync($"""
            SELECT count(*) FROM video_ratings r JOIN scraped_videos v ON v.id = r.video_id
            WHERE v.platform_video_id = '{id}' AND r.overall_score = 0.6 AND NOT EXISTS (SELECT 1 FROM analyzed_videos a WHERE a.video_id = v.id)
            """));
    }

    [Fact]
    public async Task ClickingAStepSetsItAndTheNextDigitScoresTheNextDimension()
    {
        var page = await RatePageAsync();
        var rows = page.GetByTestId("step-row");

        await rows.Nth(0).GetByRole(AriaRole.Button, new() { Name = "7", Exact = true }).ClickAsync();
        await page.Keyboard.PressAsync("8");

        await Assertions.Expect(page.GetByTestId("step-value").Nth(0)).ToHaveTextAsync("7/10");
        await Assertions.Expect(page.GetByTestId("step-value").Nth(1)).ToHaveTextAsync("8/10");
        await Assertions.Expect(rows.Nth(2)).ToHaveAttributeAsync("data-focused", "true");
    }

    [Fact]
    public async Task At420PixelsTheRatingButtonsFitInTheirCard()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        await page.SetViewportSizeAsync(420, 900);
        await BrowserSession.GotoInteractiveAsync(page, "/rate");
        var panel = page.GetByTestId("rate-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await panel.ScrollIntoViewIfNeededAsync();

        var card = (await page.Locator(".mud-paper").Filter(new() { Has = panel }).Last.BoundingBoxAsync())!;
        var buttons = await panel.Locator("button").AllAsync();
        Assert.Equal(60, buttons.Count);
        foreach (var button in buttons)
        {
            var box = (await button.BoundingBoxAsync())!;
            Assert.True(box.X >= card.X && box.X + box.Width <= card.X + card.Width + 0.5,
                $"button at {box.X:0.#}–{box.X + box.Width:0.#} px is outside the card {card.X:0.#}–{card.X + card.Width:0.#} px");
        }
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 420 px");
        await BrowserSession.ScreenshotAsync(page, "rate-420");
    }

    [Fact]
    public async Task TheDataTableFitsAt1440PixelsItsColumnsCanBeChosenAndAVideoPageLeadsBack()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        await page.SetViewportSizeAsync(1440, 900);
        await BrowserSession.GotoInteractiveAsync(page, "/data");
        var table = page.GetByTestId("videos-table");
        await Assertions.Expect(table.Locator("tbody tr").First).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "data-1440");
        await Assertions.Expect(table.Locator("thead th", new() { HasText = "Quality" })).ToBeInViewportAsync();
        Assert.True(await table.Locator(".mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "the table scrolls sideways at 1,440 px");

        await page.GetByTestId("choose-columns").ClickAsync();
        var chooser = page.GetByTestId("column-chooser");
        await chooser.GetByRole(AriaRole.Checkbox, new() { Name = "Views", Exact = true }).UncheckAsync();
        await chooser.GetByRole(AriaRole.Checkbox, new() { Name = "Saves", Exact = true }).CheckAsync();

        await Assertions.Expect(table.Locator("thead th", new() { HasText = "Views" })).ToHaveCountAsync(0);
        await Assertions.Expect(table.Locator("thead th", new() { HasText = "Saves" })).ToHaveCountAsync(1);
        await BrowserSession.ScreenshotAsync(page, "data-columns");

        var link = table.Locator("tbody tr").First.Locator("a").First;
        var id = await link.TextContentAsync();
        await link.ClickAsync();
        await Assertions.Expect(page.GetByTestId("video-heading")).ToContainTextAsync(id!.Trim());
        await Assertions.Expect(page.GetByTestId("video-card")).ToBeVisibleAsync(); // its ratings loaded too
        await BrowserSession.ScreenshotAsync(page, "video-detail");
        await page.GetByTestId("back").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/data");
        await Assertions.Expect(page.GetByTestId("videos-table")).ToBeVisibleAsync();
    }
}
