using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Pages.Overview;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Tests.Components.Pages.Overview;

public sealed class RealizedWeeksCardTests : DashboardTestContext
{
    private readonly FakeMonitoring _monitoring = new();

    public RealizedWeeksCardTests() => Services.AddSingleton<IMonitoringQueries>(_monitoring);

    [Fact]
    public void ShowsTheActiveModelsLastFourWeeksNewestFirst()
    {
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71, [.. Enumerable.Range(0, 6).Select(i => FakeMonitoring.Week(i, 40 - i, 10))]));
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r1", active: false, 0.68, FakeMonitoring.Week(0, 35, 15)));

        var cut = Render<RealizedWeeksCard>();

        Assert.Equal([((string?)null, 4)], _monitoring.Asked);
        var card = cut.Find("[data-testid=overview-realized]");
        Assert.Contains("eng-r2", card.TextContent);
        Assert.DoesNotContain("eng-r1", card.TextContent);
        Assert.Equal(["2026-11-09", "2026-11-02", "2026-10-26", "2026-10-19"], cut.FindAll("[data-testid=overview-realized] tr[data-week]").Select(r => r.GetAttribute("data-week")));
        Assert.DoesNotContain("(few)", card.TextContent);
    }

    [Fact]
    public void ShowsTheServedAccuracyOfTheActiveModelAndHowManyPredictionsWereNotCounted()
    {
        _monitoring.Versions.Add(FakeMonitoring.Served("eng-pit", active: true, testAccuracy: 0.95, servedAccuracy: 0.62, noLaterSnapshot: 37, FakeMonitoring.Week(0, 40, 10)));
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-old", active: true, 0.71, FakeMonitoring.Week(0, 40, 10)));

        var cut = Render<RealizedWeeksCard>();

        var expected = cut.FindAll("[data-testid=overview-expected]").Select(e => e.TextContent).ToList();
        Assert.Contains("served accuracy 0.620", expected[0]);
        Assert.DoesNotContain("0.950", expected[0]);
        Assert.Contains("test accuracy (no served figure) 0.710", expected[1]);
        var note = Assert.Single(cut.FindAll("[data-testid=not-counted]"));
        Assert.Contains("eng-pit: 37 predictions of videos first seen already mature: not counted", note.TextContent);
    }

    [Fact]
    public void AnActiveModelWhosePredictionsWereAllOfVideosFirstSeenMatureSaysWhyItHasNoWeeks()
    {
        _monitoring.Versions.Add(FakeMonitoring.Served("eng-pit", active: true, testAccuracy: 0.95, servedAccuracy: 0.62, noLaterSnapshot: 800));

        var cut = Render<RealizedWeeksCard>();

        Assert.NotNull(cut.Find("[data-testid=overview-realized-empty]"));
        Assert.Contains("800 predictions of videos first seen already mature: not counted", cut.Find("[data-testid=not-counted]").TextContent);
    }

    [Fact]
    public void WithoutMaturedPredictionsOfTheActiveModelItSaysSo()
    {
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71));
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r1", active: false, 0.68, FakeMonitoring.Week(0, 35, 15)));

        var cut = Render<RealizedWeeksCard>();

        Assert.Contains("No matured predictions of the active model yet", cut.Find("[data-testid=overview-realized-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=overview-realized] tr[data-week]"));
    }

    [Fact]
    public void AWeekWithFewMaturedPredictionsSaysSoBesideItsInterval()
    {
        _monitoring.Versions.Add(FakeMonitoring.Version("eng-r2", active: true, 0.71, FakeMonitoring.Week(0, 40, 10), FakeMonitoring.Week(1, 4, 1)));

        var cut = Render<RealizedWeeksCard>();

        var newest = cut.FindAll("[data-testid=overview-realized] tr[data-week]")[0];
        Assert.Contains("25 (few)", newest.TextContent);
        var w = _monitoring.Versions[0].Weeks[1];
        Assert.Contains(FormattableString.Invariant($"({w.AccuracyLow:0.000}–{w.AccuracyHigh:0.000})"), newest.TextContent);
    }

    [Fact]
    public void ShowsThePredictionLogsSizeAndHowLongItKeepsWhat()
    {
        _monitoring.Log = new PredictionLogSize(1_234_567, RowsIsEstimate: true, 369_098_752, new PredictionLogRetention(true, 30, 90, 180));

        var cut = Render<RealizedWeeksCard>();

        var log = cut.Find("[data-testid=overview-prediction-log]").TextContent;
        Assert.Contains("about 1,234,567 rows", log);
        Assert.Contains("352.0 MiB", log);
        Assert.Contains("served predictions 30 days, preference 90 days, scoring 180 days after their outcome", log);
    }

    [Fact]
    public void SaysWhenTheLogKeepsEverything()
    {
        _monitoring.Log = new PredictionLogSize(12, RowsIsEstimate: false, 16_384, new PredictionLogRetention(false, 30, 90, 180));

        var cut = Render<RealizedWeeksCard>();

        var log = cut.Find("[data-testid=overview-prediction-log]").TextContent;
        Assert.Contains("12 rows", log);
        Assert.DoesNotContain("about", log);
        Assert.Contains("retention is off", log);
    }
}
