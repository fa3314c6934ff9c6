using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// Leaving a page (or a tab) while plotly.js is still loading, on a slow network or a busy machine, leaves the next
/// page's charts drawn. Plotly.Blazor lost them: the Models page's chart once stayed blank for 90 s in CI.
/// </summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ChartLoadingFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private const string EveryChartDrawn =
        "() => { const charts = [...document.querySelectorAll('div[id^=PlotlyChart]')]; return charts.length > 0 && charts.every(c => c.querySelector('svg.main-svg')); }";

    [Fact]
    public async Task ChartsOfAPageOpenedWhilePlotlyLoadsAreDrawn()
    {
        var page = await browser.SignInAsOwnerAsync(app);
        var errors = new List<string>();
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        // plotly.js (3.5 MB) arrives 6 s late, as over a slow connection.
        await page.RouteAsync("**/plotly-*.min.js*", async route =>
        {
            await Task.Delay(6000);
            await route.ContinueAsync();
        });

        // The owner looks at Calibration, goes to the Overview and back, twice, before plotly.js arrives: the charts
        // of each visit but the last are gone by then.
        await BrowserSession.GotoInteractiveAsync(page, "/calibration");
        for (var visit = 0; visit < 2; visit++)
        {
            await Assertions.Expect(page.Locator("div[id^=PlotlyChart], [data-testid=chart-placeholder]").First).ToBeAttachedAsync();
            await page.WaitForTimeoutAsync(300); // the charts have asked to be drawn
            await page.Locator(".mud-nav-link", new() { HasText = "Overview" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("videos")).ToBeVisibleAsync();
            await page.Locator(".mud-nav-link", new() { HasText = "Calibration" }).ClickAsync();
        }

        await page.WaitForFunctionAsync(EveryChartDrawn, null, new() { Timeout = 30_000 });
        Assert.Empty(errors);
    }
}
