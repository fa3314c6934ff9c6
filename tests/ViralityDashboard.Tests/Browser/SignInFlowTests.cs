using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SignInFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private readonly BrowserSession _browser = browser;

    [Fact]
    public async Task OwnerSignsInWithThePrintedPasswordAndSeesTheOverview()
    {
        var page = await _browser.NewPageAsync(app.BaseAddress);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/account/login**");
        await BrowserSession.ScreenshotAsync(page, "login");
        await page.FillAsync("#username", "owner");
        await page.FillAsync("#password", app.OwnerPassword);
        await page.ClickAsync("#sign-in");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var videos = page.GetByTestId("videos");
        await Assertions.Expect(videos).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{1,3}(,[0-9]{3})+$"));
        // Other tests in the collection import into the same app: the demo's 5,000 are a floor.
        Assert.True(long.Parse((await videos.InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 5_000);
        await Assertions.Expect(page.GetByTestId("user-name")).ToContainTextAsync("owner");
        await BrowserSession.ScreenshotAsync(page, "overview");
    }
}
