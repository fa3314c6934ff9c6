using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Web;

[Collection(RunningAppCollection.Name)]
public sealed class FirstStartTests(RunningApp app)
{
    [Fact]
    public async Task FreshStartWithoutConfigurationCreatesItsDatabaseAndShowsDemoDataToTheSignedInOwner()
    {
        using var browser = new HttpClient { BaseAddress = app.BaseAddress };
        var anonymous = await browser.GetAsync("/");
        Assert.EndsWith("/account/login", anonymous.RequestMessage!.RequestUri!.AbsolutePath);

        var signIn = await app.SignInAsync(browser, "owner", app.OwnerPassword);
        signIn.EnsureSuccessStatusCode();
        var html = await browser.GetStringAsync("/");

        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "pgdata", "PG_VERSION")), "the embedded cluster was created under the data directory");
        // Other tests in the collection import into the same app, so the demo's 5,000 are a floor.
        var count = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"videos\"[^>]*>([0-9,]+)<");
        Assert.True(count.Success, $"no video count on the overview:\n{html[..Math.Min(html.Length, 3000)]}");
        Assert.True(long.Parse(count.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 5_000);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAMessage()
    {
        using var browser = new HttpClient { BaseAddress = app.BaseAddress };

        var response = await app.SignInAsync(browser, "owner", "not-the-password");

        Assert.Contains("Wrong user name or password.", await response.Content.ReadAsStringAsync());
        var home = await browser.GetAsync("/");
        Assert.EndsWith("/account/login", home.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task ServesStaticFilesFromTheTopLevelWwwroot()
    {
        var expected = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "wwwroot", "app.css"));

        using var response = await app.Http.GetAsync("/app.css");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        using var mud = await app.Http.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        mud.EnsureSuccessStatusCode();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ViralityDashboard.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("ViralityDashboard.sln not found above the test output");
    }
}
