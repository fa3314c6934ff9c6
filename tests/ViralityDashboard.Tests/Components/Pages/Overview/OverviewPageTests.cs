using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Pages.Overview;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Overview;

public sealed class OverviewPageTests : DashboardTestContext
{
    private sealed class FixedCounts(DatabaseCounts counts) : IStatsQueries
    {
        public Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default) => Task.FromResult(counts);
    }

    [Fact]
    public void ShowsEachCountFormatted()
    {
        Services.AddSingleton<IStatsQueries>(new FixedCounts(new DatabaseCounts(1_234_567, 30, 300, 299, 4, 7)));

        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("1,234,567", cut.Find("[data-testid=videos]").TextContent));
        Assert.Contains("Ratings", cut.Markup);
        Assert.Contains(">299<", cut.Markup);
    }
}
