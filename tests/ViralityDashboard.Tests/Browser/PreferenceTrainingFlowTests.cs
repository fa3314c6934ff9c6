using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PreferenceTrainingFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task OwnerTrainsThePreferenceModelFromTheTrainingPageAndFindsItsVersionOnTheModelsPage()
    {
        var page = await browser.SignInAsOwnerAsync(app);

        await BrowserSession.GotoInteractiveAsync(page, "/training");
        await page.Locator(".mud-tab", new() { HasText = "Preference" }).ClickAsync();
        // The demo data: 300 rated analyzed videos, the retrain milestone (ridge on pruned features), 200 to model comparison.
        await Assertions.Expect(page.GetByTestId("pref-rows")).ToHaveTextAsync("300");
        await Assertions.Expect(page.GetByTestId("milestone-summary")).ToContainTextAsync("Reached retrain");
        await Assertions.Expect(page.GetByTestId("rows-to-next")).ToContainTextAsync("200 more to model comparison");

        await page.GetByTestId("pref-launch").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pref-progress")).ToContainTextAsync("run #", new() { Timeout = 300_000 });
        await Assertions.Expect(page.GetByTestId("pref-progress")).ToContainTextAsync("gate accepted");

        var detail = page.GetByTestId("pref-run-detail");
        await Assertions.Expect(detail).ToContainTextAsync("Gate accepted");
        await Assertions.Expect(page.GetByTestId("pref-run-milestone")).ToHaveTextAsync("retrain");
        await Assertions.Expect(page.GetByTestId("pref-verdict")).ToContainTextAsync(new Regex(@"MAE \d+\.\d{2}: (production ready|acceptable)"));
        await Assertions.Expect(page.Locator("[data-testid=verdict-criteria] tr[data-hit]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("pref-cv")).ToContainTextAsync("5-fold CV MAE");
        await Assertions.Expect(page.GetByTestId("pref-expected-summary")).ToContainTextAsync("of 13 confirmed");
        await Assertions.Expect(page.GetByTestId("pref-overestimated")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pref-underestimated")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pref-active")).ToContainTextAsync("pref-");
        await page.Locator("[data-testid=correlation-chart] svg.main-svg").First.WaitForAsync(); // Plotly has drawn
        await BrowserSession.ScreenshotAsync(page, "training-preference");

        var tag = Regex.Match(await page.GetByTestId("pref-progress").TextContentAsync() ?? "", @"pref-\d{8}-\d{6}-r\d+").Value;
        Assert.NotEmpty(tag);
        await BrowserSession.GotoInteractiveAsync(page, "/models");
        await page.Locator(".mud-tab", new() { HasText = "Preference" }).ClickAsync();
        var row = page.Locator("[data-testid=pref-registry] tbody tr", new() { HasText = tag });
        await Assertions.Expect(row).ToContainTextAsync("active");
        await Assertions.Expect(row).ToContainTextAsync("retrain");
        await Assertions.Expect(page.GetByTestId("pref-audit-action").First).ToHaveTextAsync("activate");
        // Plotly draws after the tab's first render (these waited forever once the Engagement tab's charts, gone
        // before plotly.js had loaded, made Plotly.Blazor drop their draws: ChartLoadingFlowTests).
        await page.Locator("[data-testid=pref-metrics-over-versions] svg.main-svg").First.WaitForAsync();
        await page.Locator("[data-testid=pref-feature-weights] svg.main-svg").First.WaitForAsync();
        await BrowserSession.ScreenshotAsync(page, "models-preference");

        // The same version, seen from the command line as a user in a second terminal would.
        var listed = await app.RunCliAsync(["models", "list", "--kind", "preference", "--json"]);
        Assert.Contains(tag, listed);
    }
}
