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
        await BrowserSession.SubmitSignInAsync(page, "owner", app.OwnerPassword);

        var videos = page.GetByTestId("videos");
        await Assertions.Expect(videos).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{1,3}(,[0-9]{3})+$"));
        // Other tests in the collection import into the same app: the demo's 5,000 are a floor.
        Assert.True(long.Parse((await videos.InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 5_000);
        await Assertions.Expect(page.GetByTestId("user-name")).ToContainTextAsync("owner");
        await BrowserSession.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task OwnerAddsAViewerWhoReadsButCannotLaunch()
    {
        var owner = await _browser.SignInAsync(app, "owner", app.OwnerPassword);
        await BrowserSession.GotoInteractiveAsync(owner, "/users");
        var name = $"viewer-{Guid.NewGuid():N}"[..14];
        await owner.GetByTestId("new-user").FillAsync(name);
        await owner.GetByTestId("create-user").ClickAsync();
        var password = owner.GetByTestId("generated-password");
        await Assertions.Expect(password).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\S{10,}$"));
        await Assertions.Expect(owner.GetByTestId("account-name").Filter(new() { HasText = name })).ToHaveCountAsync(1);
        await BrowserSession.ScreenshotAsync(owner, "users");

        var viewer = await _browser.SignInAsync(app, name, await password.InnerTextAsync());
        await BrowserSession.GotoInteractiveAsync(viewer, "/training");
        await Assertions.Expect(viewer.GetByTestId("user-name")).ToContainTextAsync("(viewer)");
        await Assertions.Expect(viewer.GetByTestId("schedule")).ToBeVisibleAsync();
        await Assertions.Expect(viewer.GetByTestId("launch")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
    }
}
