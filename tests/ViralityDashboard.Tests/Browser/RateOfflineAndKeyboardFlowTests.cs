using System.Globalization;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// Issue 24 §3 and §5 in Chromium: offline (this machine cannot reach TikTok) the Rate page shows the cover or a
/// placeholder, not a broken frame; the shortcuts work wherever the focus is, except in a text field; and the Rate →
/// Save → Next loop works by keyboard alone.
/// </summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RateOfflineAndKeyboardFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private async Task<string?> QueryAsync(string sql) => Convert.ToString(await app.ScalarAsync(sql), CultureInfo.InvariantCulture);

    private async Task<IPage> RatePageAsync(List<string>? violations = null)
    {
        var page = await browser.SignInAsOwnerAsync(app);
        if (violations is not null)
            page.Console += (_, m) =>
            {
                if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                    lock (violations) violations.Add(m.Text);
            };
        await BrowserSession.GotoInteractiveAsync(page, "/rate");
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        return page;
    }

    private static string VideoId(string link) => link.Split('·')[^1].Trim();

    [Fact]
    public async Task OfflineThePlayerGivesWayToThePlaceholderWithinSecondsNotABrokenFrame()
    {
        var violations = new List<string>();
        var page = await RatePageAsync(violations);
        var preview = page.GetByTestId("video-preview");

        await Assertions.Expect(preview).ToHaveAttributeAsync("data-state", "fallback", new() { Timeout = 8_000 });

        await Assertions.Expect(page.Locator("iframe[data-testid=video-embed]")).ToBeHiddenAsync();
        var placeholder = page.GetByTestId("video-placeholder");
        await Assertions.Expect(placeholder).ToBeVisibleAsync();
        await Assertions.Expect(placeholder).ToContainTextAsync("Video preview needs internet: open on TikTok");
        await Assertions.Expect(placeholder.GetByRole(AriaRole.Link, new() { Name = "open on TikTok" })).ToHaveAttributeAsync("href",
            new System.Text.RegularExpressions.Regex("^https://www\\.tiktok\\.com/@[^/]+/video/\\d+$"));
        await BrowserSession.ScreenshotAsync(page, "rate-offline");

        // The next video starts over, and falls back again.
        await page.Keyboard.PressAsync("s");
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("2 of ");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-state", "fallback", new() { Timeout = 8_000 });
        Assert.Empty(violations);
    }

    [Fact]
    public async Task AfterAClickOnTheVideoOrItsTitleADigitStillScores()
    {
        var page = await RatePageAsync();
        var values = page.GetByTestId("step-value");

        await page.GetByTestId("video-caption").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rate-panel")).Not.ToBeFocusedAsync();
        await page.Keyboard.PressAsync("6");
        await Assertions.Expect(values.Nth(0)).ToHaveTextAsync("6/10");

        var popup = await page.RunAndWaitForPopupAsync(() => page.GetByTestId("video-link").ClickAsync());
        await popup.CloseAsync();
        await Assertions.Expect(page.GetByTestId("video-link")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("7");

        await Assertions.Expect(values.Nth(1)).ToHaveTextAsync("7/10");
    }

    [Fact]
    public async Task ADigitTypedIntoATextFieldIsTextNotAScore()
    {
        var page = await RatePageAsync();
        var notes = page.GetByRole(AriaRole.Textbox, new() { Name = "Notes" });

        await notes.ClickAsync();
        await page.Keyboard.TypeAsync("6 s");
        await page.Keyboard.PressAsync("Backspace");

        await Assertions.Expect(notes).ToHaveValueAsync("6 ");
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("1 of ");
        foreach (var value in await page.GetByTestId("step-value").AllAsync())
            await Assertions.Expect(value).ToHaveTextAsync("–");
    }

    [Fact]
    public async Task TheRateSaveNextLoopWorksByKeyboardAlone()
    {
        var page = await RatePageAsync();
        var first = VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "");

        // Overall 8, Hook 7; Tab past the last three dimensions and out of the panel to the notes, then back.
        foreach (var key in new[] { "8", "7", "Tab", "Tab", "Tab", "Tab" })
            await page.Keyboard.PressAsync(key);
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Notes" })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("by keyboard only");
        await page.Keyboard.PressAsync("Shift+Tab");
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("2 of ");
        await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
        var second = VideoId(await page.GetByTestId("video-link").TextContentAsync() ?? "");
        await page.Keyboard.PressAsync("5");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("video-card")).ToContainTextAsync("3 of ");

        Assert.Equal("1", await QueryAsync($"""
            SELECT count(*) FROM video_ratings r JOIN scraped_videos v ON v.id = r.video_id
            WHERE v.platform_video_id = '{first}' AND r.overall_score = 0.8 AND r.hook = 0.7 AND r.pacing IS NULL AND r.notes = 'by keyboard only'
            """));
        Assert.Equal("1", await QueryAsync($"""
            SELECT count(*) FROM video_ratings r JOIN scraped_videos v ON v.id = r.video_id WHERE v.platform_video_id = '{second}' AND r.overall_score = 0.5
            """));

        // The shared app's preference flows count the demo's 300 rated analyses: take back the two ratings made here.
        Assert.Equal("2", await QueryAsync($"""
            WITH gone AS (DELETE FROM video_ratings r USING scraped_videos v
                          WHERE v.id = r.video_id AND v.platform_video_id IN ('{first}', '{second}') RETURNING 1)
            SELECT count(*) FROM gone
            """));
    }
}
