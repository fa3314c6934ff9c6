using Bunit;
using Plotly.Blazor.Traces.ScatterLib.MarkerLib;
using ViralityDashboard.Components.Charts;

namespace ViralityDashboard.Tests.Components.Charts;

public sealed class RealizedAccuracyChartTests : DashboardTestContext
{
    [Fact]
    public void ErrorBarsSpanTheWilsonIntervalAndFewMaturedWeeksHaveOpenMarkers()
    {
        var weeks = new[] { FakeMonitoring.Week(0, 40, 10), FakeMonitoring.Week(1, 2, 2) };

        var cut = Render<RealizedAccuracyChart>(p => p.Add(c => c.Versions, [FakeMonitoring.Version("eng-r2", active: true, 0.71, weeks)]));

        var accuracy = Assert.Single(cut.Instance.AccuracyTraces);
        Assert.Equal(weeks.Select(w => Math.Round(w.AccuracyHigh - w.Accuracy, 4)), accuracy.ErrorY.Array.Cast<double>());
        Assert.Equal(weeks.Select(w => Math.Round(w.Accuracy - w.AccuracyLow, 4)), accuracy.ErrorY.ArrayMinus.Cast<double>());
        Assert.Equal([SymbolEnum.Circle, SymbolEnum.CircleOpen], accuracy.Marker.SymbolArray.Select(s => (SymbolEnum?)s));
        Assert.DoesNotContain("few", accuracy.HoverTextArray[0]);
        Assert.Contains("20 matured — few", accuracy.HoverTextArray[1]);
        Assert.Equal(["eng-r2 accuracy", "eng-r2 macro-F1", "eng-r2 test accuracy (no served figure)"], cut.Instance.Series.Keys);
    }

    [Fact]
    public void TheDashedLineIsTheServedAccuracyWhereTheVersionHasOne()
    {
        var cut = Render<RealizedAccuracyChart>(p => p.Add(c => c.Versions,
            [FakeMonitoring.Served("eng-pit", active: true, testAccuracy: 0.95, servedAccuracy: 0.62, noLaterSnapshot: 0, FakeMonitoring.Week(0, 40, 10))]));

        Assert.Equal(["eng-pit accuracy", "eng-pit macro-F1", "eng-pit served accuracy"], cut.Instance.Series.Keys);
        Assert.Equal([0.62, 0.62], cut.Instance.Series["eng-pit served accuracy"].Cast<double>());
    }

    [Fact]
    public void BackfilledWeeksAreDrawnAsABacktestApartFromTheLiveWeeks()
    {
        var backtest = FakeMonitoring.Week(0, 40, 10) with { Backfill = true };
        var live = FakeMonitoring.Week(1, 30, 20);

        var cut = Render<RealizedAccuracyChart>(p => p.Add(c => c.Versions,
            [FakeMonitoring.Served("eng-r1", active: true, testAccuracy: 0.7, servedAccuracy: 0.66, noLaterSnapshot: 0, backtest, live)]));

        Assert.Equal(["eng-r1 backtest accuracy", "eng-r1 accuracy", "eng-r1 macro-F1", "eng-r1 served accuracy"], cut.Instance.Series.Keys);
        var traces = cut.Instance.AccuracyTraces.ToDictionary(t => t.Name);
        Assert.Equal([Math.Round(backtest.Accuracy, 4)], traces["eng-r1 backtest accuracy"].Y.Cast<double>());
        Assert.Equal([Math.Round(live.Accuracy, 4)], traces["eng-r1 accuracy"].Y.Cast<double>());
        Assert.Equal("dot", traces["eng-r1 backtest accuracy"].Line.Dash);
        Assert.Equal([SymbolEnum.Diamond], traces["eng-r1 backtest accuracy"].Marker.SymbolArray.Select(s => (SymbolEnum?)s));
        Assert.Contains("backtest, week of 2026-10-05", traces["eng-r1 backtest accuracy"].HoverTextArray[0]);
        // The served line spans both kinds of week.
        Assert.Equal(2, cut.Instance.Series["eng-r1 served accuracy"].Count);
    }

    [Fact]
    public void AVersionWithoutTestFiguresHasNoDashedLine()
    {
        var cut = Render<RealizedAccuracyChart>(p => p.Add(c => c.Versions, [FakeMonitoring.Version("eng-old", active: false, null, FakeMonitoring.Week(0, 40, 10))]));

        Assert.Equal(["eng-old accuracy", "eng-old macro-F1"], cut.Instance.Series.Keys);
    }
}
