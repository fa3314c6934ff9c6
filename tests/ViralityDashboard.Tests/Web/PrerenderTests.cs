using System.Net;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Web;

/// <summary>
/// The first answer for a page is its prerender. It shows the page's data, but leaves the forms (whose selects do
/// nothing until the circuit connects) to the interactive render: they were the costliest part of the Training page.
/// The browser tests prove that the forms arrive and work once the circuit is live.
/// </summary>
[Collection(RunningAppCollection.Name)]
public sealed class PrerenderTests(RunningApp app)
{
    [Fact]
    public async Task TheTrainingPagesPrerenderShowsItsDataAndPlaceholdersForTheOwnersForms()
    {
        using var owner = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await app.SignInAsync(owner, "owner", app.OwnerPassword)).StatusCode);

        var html = await owner.GetStringAsync("/training");

        Assert.Contains("data-testid=\"gates\"", html);
        Assert.Contains("data-testid=\"drift-trigger\"", html);
        Assert.Contains("data-testid=\"schedule\"", html);
        Assert.Equal(2, html.Split("data-testid=\"prerender-placeholder\"").Length - 1);
        Assert.DoesNotContain("mud-select-input", html);
        Assert.DoesNotContain("data-testid=\"launch\"", html);
    }
}
