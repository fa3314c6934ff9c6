using System.Text.Json;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// Issue 24 §1: with a seed15 and a pre-posting version active, each feature set is activated, promoted and rolled back
/// on its own, every dialog names the registry's own from → to, and the audit rows agree. One rollback is done by
/// keyboard alone (§5).
/// </summary>
[Trait("Category", "Browser")]
public sealed class RollbackFlowTests(RollbackApp fixture, BrowserSession browser) : IClassFixture<RollbackApp>, IClassFixture<BrowserSession>
{
    private RunningApp App => fixture.App;

    private static ILocator Row(IPage page, string tag) => page.Locator("[data-testid=registry] tbody tr").Filter(new() { HasText = tag });

    /// <summary>Opens the Activate dialog of <paramref name="tag"/>, checks its from → to, gives a reason and confirms, by mouse.</summary>
    private static async Task ActivateAsync(IPage page, string tag, string expectedFromTo)
    {
        await Row(page, tag).GetByTestId("activate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("from-to")).ToHaveTextAsync(expectedFromTo);
        await page.Locator(".mud-dialog input").FillAsync($"activate {tag}");
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, tag).GetByTestId("status")).ToHaveTextAsync("active");
    }

    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/> (a bounded number of times).</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
                return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {selector}.");
    }

    [Fact]
    public async Task EachFeatureSetIsActivatedPromotedAndRolledBackOnItsOwnWithTheRegistrysFromToInEveryDialogAndAuditRow()
    {
        var page = await browser.SignInAsOwnerAsync(App);
        await BrowserSession.GotoInteractiveAsync(page, "/models");

        // Activate the first of each feature set, then the second: the dialog names the active version of the same feature set.
        await ActivateAsync(page, RollbackApp.Seed1, $"(none) → {RollbackApp.Seed1}");
        await ActivateAsync(page, RollbackApp.Pre1, $"(none) → {RollbackApp.Pre1}");
        await ActivateAsync(page, RollbackApp.Seed2, $"{RollbackApp.Seed1} → {RollbackApp.Seed2}");
        await ActivateAsync(page, RollbackApp.Pre2, $"{RollbackApp.Pre1} → {RollbackApp.Pre2}");
        await Assertions.Expect(page.GetByTestId("rollback")).ToHaveCountAsync(2);

        // Promote: s1 shadows the seed15 champion s2, then replaces it.
        await page.Locator($"[data-testid=shadow-toggle][data-tag={RollbackApp.Seed1}]").ClickAsync();
        await page.Locator(".mud-dialog input").FillAsync("compare s1 again");
        await page.GetByTestId("confirm").ClickAsync();
        var promote = page.Locator($"[data-testid=promote-challenger][data-tag={RollbackApp.Seed1}]");
        await promote.ClickAsync();
        await Assertions.Expect(page.GetByTestId("promote-from-to")).ToHaveTextAsync($"{RollbackApp.Seed2} → {RollbackApp.Seed1}");
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(Row(page, RollbackApp.Seed1).GetByTestId("status")).ToHaveTextAsync("active");

        // Roll back seed15 by keyboard alone: Tab to its Roll back, Enter, type the reason, Tab to Confirm, Space.
        await page.Locator("body").FocusAsync();
        await TabToAsync(page, "[data-testid=rollback][data-feature-set=seed15]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("from-to")).ToHaveTextAsync($"{RollbackApp.Seed1} → {RollbackApp.Seed2}");
        await TabToAsync(page, ".mud-dialog input");
        await page.Keyboard.TypeAsync("keyboard: s1 was better on paper only");
        await TabToAsync(page, "[data-testid=confirm]");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, RollbackApp.Seed2).GetByTestId("status")).ToHaveTextAsync("active");
        await BrowserSession.ScreenshotAsync(page, "models-rollback-per-feature-set");

        // Roll back pre-posting: its own previous version, the seed15 one stays.
        await page.Locator("[data-testid=rollback][data-feature-set=pre-posting]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("from-to")).ToHaveTextAsync($"{RollbackApp.Pre2} → {RollbackApp.Pre1}");
        await page.Locator(".mud-dialog input").FillAsync("p2 over-predicts");
        await page.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(Row(page, RollbackApp.Pre1).GetByTestId("status")).ToHaveTextAsync("active");
        await Assertions.Expect(Row(page, RollbackApp.Seed2).GetByTestId("status")).ToHaveTextAsync("active");

        // The audit rows, as the registry recorded them.
        using var list = JsonDocument.Parse((await App.RunCliAsync(["models", "list", "--kind", "engagement", "--json"])).Trim().Split('\n')[^1]);
        var audit = list.RootElement.GetProperty("audit").EnumerateArray()
            .Select(a => $"{a.GetProperty("action").GetString()} {a.GetProperty("fromTag").GetString() ?? "-"} → {a.GetProperty("toTag").GetString()}").ToList();
        Assert.Equal([
            $"activate - → {RollbackApp.Seed1}",
            $"activate - → {RollbackApp.Pre1}",
            $"activate {RollbackApp.Seed1} → {RollbackApp.Seed2}",
            $"activate {RollbackApp.Pre1} → {RollbackApp.Pre2}",
            $"shadow - → {RollbackApp.Seed1}",
            $"activate {RollbackApp.Seed2} → {RollbackApp.Seed1}",
            $"rollback {RollbackApp.Seed1} → {RollbackApp.Seed2}",
            $"rollback {RollbackApp.Pre2} → {RollbackApp.Pre1}",
        ], audit);
        // And the page's audit log shows the same, newest first.
        await Assertions.Expect(page.GetByTestId("audit-action")).ToHaveCountAsync(8);
        await Assertions.Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("rollback");
    }
}
