using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// WCAG 2.2 AA, as far as a machine can tell: axe-core run over every page of the app in both themes, and every page
/// laid out at 320 CSS pixels (WCAG 1.4.10 Reflow). What axe cannot judge (a sensible focus order, the meaning of a
/// label) is left to people.
/// </summary>
[Collection(AccessibilityAppCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AccessibilityFlowTests(AccessibilityApp fixture, BrowserSession browser) : IClassFixture<BrowserSession>
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    public static TheoryData<string, bool> ViewsInBothThemes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var view in AppViews.Names)
        {
            data.Add(view, false);
            if (view != "login") // served without a circuit: there is no theme switch on it
                data.Add(view, true);
        }
        return data;
    }

    public static TheoryData<string> Views() => [.. AppViews.Names];

    [Theory]
    [MemberData(nameof(ViewsInBothThemes))]
    public async Task EveryViewHasNoSeriousOrCriticalAxeViolation(string view, bool dark)
    {
        var page = await AppViews.OpenAsync(browser, fixture.App, view, dark);

        var result = await page.RunAxe(WcagAa);
        await page.Context.CloseAsync(); // its circuit would stay open on the app through the remaining views

        var failures = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(failures.Count == 0, $"{view} ({(dark ? "dark" : "light")}): {failures.Count} serious or critical axe rule(s) failed:\n" + string.Join("\n", failures.Select(Describe)));
    }

    [Theory]
    [MemberData(nameof(Views))]
    public async Task EveryViewFitsA320PixelWideScreenWithoutScrollingSideways(string view)
    {
        var page = await AppViews.OpenAsync(browser, fixture.App, view, viewport: new ViewportSize { Width = 320, Height = 640 });

        var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");

        // What sticks out, so a failure says where to look: elements wider than the screen that are not inside a box of their own that scrolls.
        var wide = widths[0] <= widths[1] ? "" : await page.EvaluateAsync<string>("""
            w => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .filter(e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; } return true; })
                .slice(0, 8).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`).join('\n')
            """, widths[1]);
        // The app bar is fixed: what it pushes past the edge does not widen the page, it is just out of reach.
        var offScreen = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('header button')].filter(b => b.getBoundingClientRect().right > document.documentElement.clientWidth).map(b => b.getAttribute('aria-label') ?? b.textContent)");
        await page.Context.CloseAsync();
        Assert.True(widths[0] <= widths[1], $"{view}: the page is {widths[0]} px wide in a {widths[1]} px window:\n{wide}");
        Assert.True(offScreen.Length == 0, $"{view}: app bar buttons past the right edge: {string.Join(", ", offScreen)}");
    }

    private static string Describe(AxeResultItem rule) =>
        $"  {rule.Id} ({rule.Impact}, {rule.Nodes.Length} node(s)): {rule.Help}\n" +
        string.Join("\n", rule.Nodes.Take(6).Select(n => $"    {n.Target} {Truncate(string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message)))}"));

    private static string Truncate(string? text) => text is null ? "" : (text.Length > 220 ? text[..220] + "…" : text).ReplaceLineEndings(" ");
}
