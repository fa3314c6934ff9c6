using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>The pages work under the Content-Security-Policy: Chromium reports no violation on them.</summary>
[Collection(RunningAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyFlowTests(RunningApp app, BrowserSession browser) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task PagesWithChartsRunWithoutViolations()
    {
        var violations = new List<string>();
        var page = await browser.NewPageAsync(app.BaseAddress);
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (violations) violations.Add($"{page.Url}: {m.Text}");
        };
        await page.GotoAsync("/account/login");
        await BrowserSession.SubmitSignInAsync(page, "owner", app.OwnerPassword);
        foreach (var path in new[] { "/", "/models", "/training", "/calibration", "/predict" })
        {
            await BrowserSession.GotoInteractiveAsync(page, path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        Assert.Empty(violations);
    }
}
