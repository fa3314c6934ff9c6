using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// The realized-accuracy chart and tables in Chromium, over the weeks written into the monitoring app's database:
/// Plotly draws the chart (error bars, open markers) without a script error. The fresh-install flow through scoring
/// and maturing is the integration's own browser test.
/// </summary>
[Collection(MonitoringAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class MonitoringPagesFlowTests(MonitoringApp monitoring, BrowserSession browser) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task TheModelsPageChartsEachVersionsWeeksAndTheOverviewShowsTheActiveOnes()
    {
        var page = await browser.SignInAsOwnerAsync(monitoring.App);
        var errors = new List<string>();
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };

        await BrowserSession.GotoInteractiveAsync(page, "/models");
        await Assertions.Expect(page.GetByTestId("realized-chart").Locator(".main-svg").First).ToBeVisibleAsync();
        // One error bar per realized week: three of the active version, two of the older one.
        await Assertions.Expect(page.GetByTestId("realized-chart").Locator("g.errorbar")).ToHaveCountAsync(5);
        var rows = page.Locator("[data-testid=realized-weeks] tr[data-week]");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator($"[data-testid=realized-weeks] tr[data-version='{MonitoringApp.Older}'][data-week='2026-10-12'] [data-testid=few-matured]")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "realized-accuracy");

        await BrowserSession.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=overview-realized] tr[data-week]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("overview-realized")).Not.ToContainTextAsync(MonitoringApp.Older);

        Assert.Empty(errors);
    }
}
