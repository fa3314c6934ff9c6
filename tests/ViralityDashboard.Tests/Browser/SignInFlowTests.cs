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
        await Assertions.Expect(videos).ToHaveTextAsync("5,000");
        await Assertions.Expect(page.GetByTestId("user-name")).ToContainTextAsync("owner");
        await BrowserSession.ScreenshotAsync(page, "overview");
    }
}
