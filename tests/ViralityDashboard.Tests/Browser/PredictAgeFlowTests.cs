using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>Issue 23 §5: the Predictor asks how old the video is, and an early model says which ages it was trained on.</summary>
[Collection(EarlyModelAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PredictAgeFlowTests(EarlyModelApp fixture, BrowserSession browser) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task HoursEnteredOnTheFormReachTheEarlyModelWhoseResultGivesItsTrainedAgesAndWarnsOutsideThem()
    {
        var page = await browser.SignInAsOwnerAsync(fixture.App);
        await BrowserSession.GotoInteractiveAsync(page, "/predict");
        var hours = page.Locator("input[data-testid=hours-since-posting], [data-testid=hours-since-posting] input");
        // Prefilled from the form's posting time to now.
        await Assertions.Expect(hours).Not.ToHaveValueAsync("");

        // 1. Inside the trained ages: the line, no warning.
        await hours.FillAsync("48");
        await page.GetByTestId("predict").ClickAsync();
        await Assertions.Expect(page.GetByTestId("prediction")).ToContainTextAsync("· early");
        await Assertions.Expect(page.GetByTestId("trained-ages")).ToHaveTextAsync("Trained on snapshots 2 h–96 h old (median 20 h), point-in-time rows.");
        await Assertions.Expect(page.GetByTestId("age-warning")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(page, "predict-age-1-inside");

        // 2. Older than any training snapshot: the same line and a warning.
        await hours.FillAsync("500");
        await page.GetByTestId("predict").ClickAsync();
        await Assertions.Expect(page.GetByTestId("age-warning")).ToContainTextAsync("500 h old, older than any snapshot this model was trained on (2 h–96 h)");
        await Assertions.Expect(page.GetByTestId("trained-ages")).ToContainTextAsync("2 h–96 h");
        await BrowserSession.ScreenshotAsync(page, "predict-age-2-outside");

        // 3. A negative age is refused before anything is predicted.
        await hours.FillAsync("-1");
        await Assertions.Expect(page.GetByTestId("predict-error")).ToContainTextAsync("Hours since posting must not be negative.");
        await Assertions.Expect(page.GetByTestId("predict")).ToBeDisabledAsync();
    }
}
