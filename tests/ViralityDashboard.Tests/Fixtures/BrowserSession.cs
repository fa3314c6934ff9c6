using Microsoft.Playwright;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// Debian's Chromium driven by Playwright (it cannot download a browser of its own here). Screenshots go
/// to artifacts/screenshots at the repository root, for people to look at.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ViralityDashboard.sln")))
                    return Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts", "screenshots")).FullName;
            }
            return Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (.ci/run does this).");
        // Expect's own default is 5 s. On a busy 2-core CI machine, with the test projects running side by side,
        // Plotly's first draw on a page (it loads and compiles plotly.js) has taken longer than that.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <param name="viewport">1366 × 850 unless given (a phone's width, say).</param>
    /// <param name="storageState">Cookies and local storage saved from another context (<c>StorageStateAsync</c>): a sign-in and a theme choice to start from.</param>
    public async Task<IPage> NewPageAsync(Uri baseAddress, ViewportSize? viewport = null, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 850 },
            StorageState = storageState,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new page signed in as the app's owner, on the overview.</summary>
    public Task<IPage> SignInAsOwnerAsync(RunningApp app) => SignInAsync(app, "owner", app.OwnerPassword);

    /// <summary>A new page signed in through the login form, on the overview.</summary>
    public async Task<IPage> SignInAsync(RunningApp app, string user, string password)
    {
        var page = await NewPageAsync(app.BaseAddress);
        await page.GotoAsync("/account/login");
        await SubmitSignInAsync(page, user, password);
        return page;
    }

    /// <summary>Fills in and sends the login form the page shows, then waits for the overview.</summary>
    public static async Task SubmitSignInAsync(IPage page, string user, string password)
    {
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
    }

    /// <summary>Navigates and waits for the live circuit: a click on the prerendered HTML goes nowhere.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.GetByTestId("interactive-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>
    /// Chooses a file in a Blazor InputFile once its script has hooked the element: a file set before that
    /// (the component initializes after its first render, later than the page's marker on a busy machine)
    /// raises a change event nobody hears, and the upload never starts.
    /// </summary>
    public static async Task ChooseFileAsync(ILocator input, FilePayload file)
    {
        await input.EvaluateAsync("e => new Promise(done => { const ready = () => e._blazorInputFileNextFileId !== undefined ? done() : setTimeout(ready, 50); ready(); })");
        await input.SetInputFilesAsync(file);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
