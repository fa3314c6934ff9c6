using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// An app of its own with two accepted engagement versions (the second active): the shared app's tests count its
/// versions and audit rows, which shadowing and promoting change.
/// </summary>
public sealed class ChallengerApp : IAsyncLifetime
{
    public RunningApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        // The gate at 0 and the fast trainer: the flow, not the model, is under test.
        var settings = new Dictionary<string, string> { ["Virality__Training__GateMinimumAccuracy"] = "0" };
        await App.RunCliAsync(["train", "--trainer", "lbfgs"], settings);
        await App.RunCliAsync(["train", "--trainer", "lbfgs"], settings);
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>Issue 12 §6 in Chromium: shadow the inactive version from the Models page, then promote it after confirming.</summary>
[Trait("Category", "Browser")]
public sealed class ChallengerFlowTests(ChallengerApp fixture, BrowserSession browser) : IClassFixture<ChallengerApp>, IClassFixture<BrowserSession>
{
    [Fact]
    public async Task OwnerShadowsTheInactiveVersionThenPromotesItAndTheAuditLogSaysSo()
    {
        var page = await browser.SignInAsOwnerAsync(fixture.App);
        await BrowserSession.GotoInteractiveAsync(page, "/models");
        var panel = page.GetByTestId("challengers-panel");
        await Assertions.Expect(panel.GetByTestId("no-challengers")).ToBeVisibleAsync();
        var toggle = panel.GetByTestId("shadow-toggle");
        await Assertions.Expect(toggle).ToHaveCountAsync(1); // the active version is the champion, not a candidate
        var tag = await toggle.GetAttributeAsync("data-tag");

        await toggle.ClickAsync();
        var row = panel.Locator($"[data-testid=challenger-row][data-tag='{tag}']");
        await Assertions.Expect(row).ToContainTextAsync("No matured videos scored by both yet");
        await Assertions.Expect(toggle).ToHaveTextAsync("Stop shadow");
        await Assertions.Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("shadow");
        await BrowserSession.ScreenshotAsync(page, "models-challenger");

        await row.GetByTestId("promote-challenger").ClickAsync();
        await Assertions.Expect(page.GetByTestId("promote-from-to")).ToContainTextAsync($"→ {tag}");
        await page.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("activate");
        await Assertions.Expect(page.GetByTestId("audit").Locator("tbody tr").First).ToContainTextAsync("promoted from shadow");
        await Assertions.Expect(page.Locator("[data-testid=registry] tbody tr").Filter(new() { HasText = tag! }).GetByTestId("status")).ToHaveTextAsync("active");
        await Assertions.Expect(panel.GetByTestId("no-challengers")).ToBeVisibleAsync();
    }
}
