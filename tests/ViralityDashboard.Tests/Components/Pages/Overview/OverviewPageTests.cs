using ViralityDashboard.Core.Ml;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Overview;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Overview;

public sealed class OverviewPageTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();

    private sealed class FixedCounts(DatabaseCounts counts) : IStatsQueries
    {
        public Task<DatabaseCounts> GetCountsAsync(CancellationToken ct = default) => Task.FromResult(counts);

        public Task<DatabaseCounts> GetOverviewCountsAsync(CancellationToken ct = default) => Task.FromResult(counts);
    }

    public OverviewPageTests()
    {
        _training.Register(Services);
        Services.AddSingleton<IStatsQueries>(new FixedCounts(new DatabaseCounts(1_234_567, 30, 300, 299, 4, 7) { UnratedAnalyzedVideos = 41 }));
        AddAuthorization().SetAuthorized("viewer");
    }

    [Fact]
    public void ShowsEachCountFormatted()
    {
        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal("1,234,567", cut.Find("[data-testid=videos]").TextContent));
        Assert.Contains("Ratings", cut.Markup);
        Assert.Contains(">299<", cut.Markup);
    }

    [Fact]
    public void UnratedAnalyzedIsTheQueriedCountNotAnalyzedMinusRatings()
    {
        var cut = Render<OverviewPage>();

        // 300 analyzed − 299 ratings would say 1; some of those ratings are of videos without an analysis.
        cut.WaitForAssertion(() => Assert.Equal("41", cut.Find("[data-testid=unrated-analyzed]").TextContent));
    }

    [Fact]
    public void AStaleBaselineWarningLinksToTheCalibrationPage()
    {
        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Contains("days old", cut.Find("[data-testid=warning-link]").ParentElement!.ParentElement!.TextContent));
        var link = cut.Find("[data-testid=warning-link]");
        Assert.Equal("calibration", link.GetAttribute("href"));
        Assert.Contains("Compute a baseline", link.TextContent);
    }

    [Fact]
    public void AMissingBaselineIsAWarningWithALinkToWhereOneIsComputed()
    {
        var warning = Assert.Single(OverviewWarnings.For(null, new BaselineAge(null, 0, 0), FakeTraining.T0));

        Assert.Equal(("No calibration baseline yet.", "calibration"), (warning.Text, warning.Href));
        Assert.NotNull(warning.LinkText);
    }

    [Fact]
    public void ShowsTheActiveModelLastRunsNextRunWarningsAndTheChart()
    {
        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Contains("eng-20261121-030000-r2", cut.Find("[data-testid=active-model]").TextContent));
        Assert.Contains("0.710", cut.Markup);
        Assert.Equal(2, cut.FindAll("[data-testid=last-run]").Count);
        Assert.Contains("2026-11-25 03:00:00 UTC", cut.Find("[data-testid=next-run]").TextContent);
        var warnings = cut.FindAll("[data-testid=warning]").Select(w => w.TextContent).ToList();
        Assert.Contains(warnings, w => w.Contains("rejected by the gate"));
        Assert.Contains(warnings, w => w.Contains("Leakage"));
        Assert.Contains(warnings, w => w.Contains("days old"));
        Assert.Equal(3, cut.FindComponent<MetricsOverVersionsChart>().Instance.Series["accuracy"].Count);
    }

    [Fact]
    public void ShowsAnActivePreferenceModelWithItsErrorFiguresAndKeepsItOutOfTheAccuracyChart()
    {
        _training.Versions.Insert(0, new ModelVersionRow(4, ModelKind.Preference, "pref-20261123-120000-r4", VersionStatus.Active, true, FakeTraining.T0.AddDays(3), 300,
            "v3", null, "ridge", null, null, null, null) { Mae = 0.097, R2 = 0.64 });

        var cut = Render<OverviewPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=active-model]").Count));
        var preference = cut.FindAll("[data-testid=active-model]").Single(m => m.TextContent.Contains("preference"));
        Assert.Contains("pref-20261123-120000-r4", preference.TextContent);
        Assert.Contains("test MAE 0.97 · R² 0.640 (0–10 score scale)", cut.Markup);
        Assert.Equal(3, cut.FindComponent<MetricsOverVersionsChart>().Instance.Series["accuracy"].Count);
    }
}
