using System.Collections.Concurrent;
using Microsoft.Playwright;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Browser;

/// <summary>
/// Every page of the app, and the states of them a user meets (a dialog open, a rating chosen but not saved), each
/// opened in a signed-in browser page and ready to be checked.
/// </summary>
internal static class AppViews
{
    public static readonly string[] Names =
    [
        "login", "overview", "rate", "rate-mid-rating", "data", "video", "calibration", "training", "training-preference",
        "models", "models-rollback-dialog", "models-activate-dialog", "models-preference", "predict", "users", "denied", "not-found",
    ];

    /// <summary>Opens <paramref name="view"/>, in dark mode when asked, and waits until its content has rendered.</summary>
    public static async Task<IPage> OpenAsync(BrowserSession browser, RunningApp app, string view, bool dark = false, ViewportSize? viewport = null)
    {
        if (view == "login")
        {
            // Static server rendering: no circuit, so no theme switch either.
            var anonymous = await browser.NewPageAsync(app.BaseAddress, viewport);
            await anonymous.GotoAsync("/account/login");
            return anonymous;
        }

        var page = await browser.NewPageAsync(app.BaseAddress, viewport, await SignedInAsync(browser, app, dark));

        switch (view)
        {
            case "overview":
                await GotoAsync(page, "/");
                break;
            case "rate":
                await GotoAsync(page, "/rate");
                await page.GetByTestId("rate-panel").WaitForAsync();
                break;
            case "rate-mid-rating":
                await GotoAsync(page, "/rate");
                // The page focuses its panel once its page-wide key listener is in place: a key pressed before is lost.
                await Assertions.Expect(page.GetByTestId("rate-panel")).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("8");
                await Assertions.Expect(page.GetByTestId("rate-save")).ToBeEnabledAsync();
                break;
            case "data":
                await GotoAsync(page, "/data");
                await page.GetByTestId("videos-table").Locator("a[href^='videos/']").First.WaitForAsync();
                break;
            case "video":
                await GotoAsync(page, "/data");
                var href = await page.GetByTestId("videos-table").Locator("a[href^='videos/']").First.GetAttributeAsync("href");
                await GotoAsync(page, "/" + href);
                break;
            case "calibration":
                await GotoAsync(page, "/calibration");
                break;
            case "training":
                await GotoAsync(page, "/training");
                await page.GetByTestId("run-detail").WaitForAsync();
                break;
            case "training-preference":
                await GotoAsync(page, "/training?tab=preference");
                break;
            case "models":
                await GotoAsync(page, "/models");
                await page.GetByTestId("rollback").WaitForAsync();
                break;
            case "models-rollback-dialog":
                await GotoAsync(page, "/models");
                await page.GetByTestId("rollback").ClickAsync();
                await page.GetByTestId("confirm-change").WaitForAsync();
                break;
            case "models-activate-dialog":
                await GotoAsync(page, "/models");
                await page.GetByTestId("activate").First.ClickAsync();
                await page.GetByTestId("confirm-change").WaitForAsync();
                break;
            case "models-preference":
                await GotoAsync(page, "/models?tab=preference");
                break;
            case "predict":
                await GotoAsync(page, "/predict");
                break;
            case "users":
                await GotoAsync(page, "/users");
                break;
            case "denied":
                await GotoAsync(page, "/account/denied");
                break;
            case "not-found":
                await GotoAsync(page, "/not-found");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(view), view, "No such view.");
        }
        if (dark)
            await WaitForThemeAsync(page, dark: true);
        // What the page shows once it has settled: no card still loading, every chart drawn (network idle never comes on
        // a video's page, whose TikTok embed keeps asking a host this machine cannot reach).
        await Assertions.Expect(page.Locator("[role=progressbar][aria-label=Loading]")).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('div[id^=PlotlyChart]')].every(c => c.querySelector('svg.main-svg'))");
        await page.WaitForTimeoutAsync(300); // transitions (tabs, dialogs) end at their final colours
        return page;
    }

    private static Task GotoAsync(IPage page, string path) => BrowserSession.GotoInteractiveAsync(page, path);

    private static readonly ConcurrentDictionary<(Uri App, bool Dark), Lazy<Task<string>>> SignIns = new();

    /// <summary>
    /// The owner's sign-in cookie and theme choice for this app, from one sign-in per theme: each view then starts from
    /// them in a context of its own instead of signing in (and, for dark mode, visiting the overview) again.
    /// </summary>
    private static Task<string> SignedInAsync(BrowserSession browser, RunningApp app, bool dark) =>
        SignIns.GetOrAdd((app.BaseAddress, dark), _ => new Lazy<Task<string>>(async () =>
        {
            var page = await browser.NewPageAsync(app.BaseAddress);
            await page.GotoAsync("/account/login");
            await BrowserSession.SubmitSignInAsync(page, "owner", app.OwnerPassword);
            if (dark)
            {
                await BrowserSession.GotoInteractiveAsync(page, "/");
                await page.Locator("[aria-label='Toggle dark mode']").ClickAsync();
                await WaitForThemeAsync(page, dark: true);
            }
            var state = await page.Context.StorageStateAsync();
            await page.Context.CloseAsync();
            return state;
        })).Value;

    /// <summary>Waits until the body's background is dark (or light): the layout reads the stored choice after its first render.</summary>
    private static Task WaitForThemeAsync(IPage page, bool dark) =>
        page.WaitForFunctionAsync(
            "dark => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b < 300) === dark; }",
            dark);
}
