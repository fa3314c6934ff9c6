using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Models;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Tests.Components.Pages.Models;

public sealed class RealizedAccuracyTests : DashboardTestContext
{
    private readonly FakeMonitoring _monitoring = new();

    public RealizedAccuracyTests()
    {
        Services.AddSingleton<IMonitoringQueries>(_monitoring);
        Services.AddSingleton(Options.Create(new MonitoringOptions { MatureAfterDays = 10 }));
    }

    [Fact]
    public void ChartsEachVersionsWeeksAndListsTheirCountsNewestWeekFirst()
    {
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71, FakeMonitoring.Week(0, 40, 10), FakeMonitoring.Week(1, 30, 20)));
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r1", active: false, 0.68, FakeMonitoring.Week(0, 35, 15)));

        var cut = Render<RealizedAccuracy>();

        var chart = cut.FindComponent<RealizedAccuracyChart>().Instance;
        Assert.Equal([0.8, 0.6], chart.Series["eng-r2 accuracy"].Cast<double>());
        Assert.Equal([0.7], chart.Series["eng-r1 accuracy"].Cast<double>());
        Assert.Equal([0.71, 0.71], chart.Series["eng-r2 test accuracy (no served figure)"].Cast<double>());
        Assert.NotNull(cut.Find("[data-testid=realized-chart]"));
        var rows = cut.FindAll("[data-testid=realized-weeks] tbody tr[data-week]");
        Assert.Equal([("eng-r2", "2026-10-12"), ("eng-r2", "2026-10-05"), ("eng-r1", "2026-10-05")],
            rows.Select(r => (r.GetAttribute("data-version"), r.GetAttribute("data-week"))));
        Assert.Equal("250", rows[0].QuerySelector("[data-testid=matured]")!.TextContent.Trim());
        Assert.Contains("0.600 (", rows[0].TextContent);
        Assert.Equal("-0.110 (vs test)", rows[0].QuerySelector("[data-testid=vs-expected]")!.TextContent.Trim()); // r2 has no served accuracy
        Assert.Empty(cut.FindAll("[data-testid=few-matured]"));
        Assert.Empty(cut.FindAll("[data-testid=not-counted]"));
    }

    [Fact]
    public void EachWeekIsReadAgainstTheServedAccuracyAndPredictionsOfVideosFirstSeenMatureAreCountedApart()
    {
        _monitoring.Versions.Add(FakeMonitoring.Served("eng-pit", active: true, testAccuracy: 0.95, servedAccuracy: 0.62, noLaterSnapshot: 1234, FakeMonitoring.Week(0, 30, 20)));

        var cut = Render<RealizedAccuracy>();

        Assert.Equal("-0.020", cut.Find("[data-testid=vs-expected]").TextContent.Trim()); // 0.600 against served 0.620, not test 0.950
        Assert.Contains("eng-pit served accuracy", cut.FindComponent<RealizedAccuracyChart>().Instance.Series.Keys);
        var note = cut.Find("[data-testid=not-counted]");
        Assert.Equal("eng-pit", note.GetAttribute("data-version"));
        Assert.Contains("1,234 predictions of videos first seen already mature: not counted", note.TextContent);
    }

    [Fact]
    public void WithNothingMaturedItSaysWhenOutcomesWillBeKnown()
    {
        // An active version that has scored videos but none matured: no chart, the empty state.
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71));

        var cut = Render<RealizedAccuracy>();

        Assert.Contains("No matured predictions yet", cut.Find("[data-testid=realized-empty]").TextContent);
        Assert.Contains("known 10 days after posting", cut.Find("[data-testid=realized-empty]").TextContent);
        Assert.Empty(cut.FindComponents<RealizedAccuracyChart>());
    }

    [Fact]
    public void AWeekWithFewMaturedPredictionsIsMarkedAndShowsItsWideInterval()
    {
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71, FakeMonitoring.Week(0, 40, 10), FakeMonitoring.Week(1, 3, 1)));

        var cut = Render<RealizedAccuracy>();

        var few = Assert.Single(cut.FindAll("[data-testid=few-matured]"));
        Assert.Equal("2026-10-12", few.Closest("tr")!.GetAttribute("data-week"));
        var (low, high) = (_monitoring.Versions[0].Weeks[1].AccuracyLow, _monitoring.Versions[0].Weeks[1].AccuracyHigh);
        Assert.True(high - low > 0.3, "20 matured predictions leave a wide interval");
        Assert.Contains(FormattableString.Invariant($"({low:0.000}–{high:0.000})"), few.Closest("tr")!.TextContent);
    }
}
