using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class TrainingAndModelsFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private static async Task LaunchAndWaitAsync(IPage page, bool screenshotProgress = false)
    {
        // A second launch finds the first one's "completed · run #N" still shown: wait until the click has replaced it,
        // or the waits below would pass on the previous run's line while the new run has barely started.
        var progress = page.GetByTestId("progress");
        var previous = await progress.CountAsync() > 0 ? await progress.TextContentAsync() : null;
        await page.GetByTestId("launch").ClickAsync();
        if (previous is not null)
            await Assertions.Expect(progress).Not.ToHaveTextAsync(previous, new() { Timeout = 60_000 });
        if (screenshotProgress)
        {
            // The live step shows while the run is under way (a fast run may finish between two polls).
            await page.Locator("[data-testid=current-step], [data-testid=progress]:has-text('completed')").First.WaitForAsync(new() { Timeout = 300_000 });
            await BrowserSession.ScreenshotAsync(page, "training-progress");
        }
        await Assertions.Expect(page.GetByTestId("progress")).ToContainTextAsync("run #", new() { Timeout = 300_000 });
        await BrowserSession.ScreenshotAsync(page, "training-last-launch");
        await Assertions.Expect(page.GetByTestId("progress")).ToContainTextAsync("completed", new() { Timeout = 300_000 });
    }

    [Fact]
    public async Task OwnerRetrainsTwiceThenRollsBackAndReactivatesWithAuditRows()
    {
        var page = await browser.SignInAsOwnerAsync(app);

        await BrowserSession.GotoInteractiveAsync(page, "/training");
        await Assertions.Expect(page.GetByTestId("schedule")).ToContainTextAsync("0 0 3 * * ?");
        await LaunchAndWaitAsync(page, screenshotProgress: true);
        await LaunchAndWaitAsync(page);
        await Assertions.Expect(page.GetByTestId("run-detail")).ToContainTextAsync("Gate accepted");
        await BrowserSession.ScreenshotAsync(page, "training");

        await BrowserSession.GotoInteractiveAsync(page, "/models");
        await Assertions.Expect(page.Locator("[data-testid=registry] tbody tr")).ToHaveCountAsync(2);
        await page.GetByTestId("rollback").ClickAsync();
        await Assertions.Expect(page.GetByTestId("from-to")).ToContainTextAsync("→");
        await page.Locator(".mud-dialog input").FillAsync("browser test: roll back");
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("rollback");

        await page.GetByTestId("activate").ClickAsync();
        await page.Locator(".mud-dialog input").FillAsync("browser test: activate again");
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("activate");
        await Assertions.Expect(page.GetByTestId("audit-action")).ToHaveCountAsync(4);
        await page.WaitForTimeoutAsync(1500); // let Plotly draw
        await BrowserSession.ScreenshotAsync(page, "models");

        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("active-model").Filter(new() { HasText = "engagement" })).ToContainTextAsync("eng-"); // a preference version may be active too
        await page.WaitForTimeoutAsync(1500);
        await BrowserSession.ScreenshotAsync(page, "overview-with-models");
    }
}
