using Bunit;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Tests.Components.Pages.Calibration;

namespace ViralityDashboard.Tests.Components.Charts;

public sealed class ViewsDistributionChartTests : DashboardTestContext
{
    [Fact]
    public void DrawsBinsOnALog10AxisAndOneDashedLinePerThreshold()
    {
        IReadOnlyList<HistogramBin> bins = [new(1, 10, 5), new(10, 100, 40), new(100, 1_000, 120), new(1_000, 10_000, 30)];

        var cut = Render<ViewsDistributionChart>(p => p
            .Add(c => c.Bins, bins)
            .Add(c => c.Thresholds, [("p20", 100.0), ("p80", 1_000.0)]));

        var chart = cut.FindComponent<PlotlyChart>().Instance;
        var bar = Assert.IsType<Bar>(Assert.Single(chart.Data));
        Assert.Equal([0.5, 1.5, 2.5, 3.5], bar.X.Cast<double>());
        Assert.Equal([5L, 40L, 120L, 30L], bar.Y.Cast<long>());
        Assert.Equal([2.0, 3.0], chart.Layout.Shapes.Select(s => Convert.ToDouble(s.X0)));
        Assert.Equal(["1", "10", "100", "1K", "10K"], chart.Layout.XAxis[0].TickText.Cast<string>());
    }

    [Fact]
    public void ThresholdLabelsRunUpTheirLinesAndCloseOnesTakeOppositeSides()
    {
        // p40 and p50 are 0.05 decades apart (closer than a label is wide on a 0–7 axis); p20 and p80 stand alone.
        IReadOnlyList<(string, double)> thresholds = [("p80", 100_000.0), ("p20", 300.0), ("p40", 2_000.0), ("p50", 2_250.0)];

        var labels = ViewsDistributionChart.ThresholdLabels(thresholds, top: 7);

        Assert.Equal(["p20 300", "p40 2,000", "p50 2,250", "p80 100,000"], labels.Select(l => l.Text));
        Assert.Equal([false, true, false, false], labels.Select(l => l.LeftOfLine));
        IReadOnlyList<HistogramBin> bins = [new(1, 10, 5), new(10, 10_000_000, 40)];
        var cut = Render<ViewsDistributionChart>(p => p.Add(c => c.Bins, bins).Add(c => c.Thresholds, thresholds));
        Assert.All(cut.FindComponent<PlotlyChart>().Instance.Layout.Annotations, a => Assert.Equal(-90m, a.TextAngle));
    }

    [Fact]
    public void SaysSoWithoutData()
    {
        var cut = Render<ViewsDistributionChart>(p => p.Add(c => c.Bins, []));

        Assert.Contains("No trainable videos", cut.Markup);
        Assert.Empty(cut.FindComponents<PlotlyChart>());
    }
}

public sealed class TierShareChartTests : DashboardTestContext
{
    [Fact]
    public void OneBarSeriesPerSchemeInTierOrder()
    {
        IReadOnlyList<TierShare> shares = [new("views", 2, 20), new("views", 1, 10), new("wes", 1, 7), new("wes", 2, 23)];

        var cut = Render<TierShareChart>(p => p.Add(c => c.Shares, shares));

        var bars = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Bar>().ToList();
        Assert.Equal(["views scheme", "wes scheme"], bars.Select(b => b.Name));
        Assert.Equal(["tier 1", "tier 2"], bars[0].X.Cast<string>());
        Assert.Equal([10L, 20L], bars[0].Y.Cast<long>());
    }
}

public sealed class ThresholdHistoryChartTests : DashboardTestContext
{
    [Fact]
    public void OneLinePerThresholdOldestFirst()
    {
        var newer = CalibrationPageTests.Baseline(2, DateTimeOffset.Parse("2026-11-20T03:00:00Z"), 2);
        var older = CalibrationPageTests.Baseline(1, DateTimeOffset.Parse("2026-11-10T03:00:00Z"), 1);

        var cut = Render<ThresholdHistoryChart>(p => p.Add(c => c.Baselines, [newer, older]).Add(c => c.Scheme, TierScheme.Views));

        var lines = cut.FindComponent<PlotlyChart>().Instance.Data.Cast<Scatter>().ToList();
        Assert.Equal(["p20", "p40", "p60", "p80"], lines.Select(l => l.Name));
        Assert.Equal([900.0, 1_800.0], lines[0].Y.Cast<double>());
    }

    [Fact]
    public void NoBaselineSaysSo()
    {
        var cut = Render<ThresholdHistoryChart>(p => p.Add(c => c.Baselines, []).Add(c => c.Scheme, TierScheme.Views));

        Assert.Contains("No baselines stored yet.", cut.Markup);
    }

    [Fact]
    public void OneBaselineGetsADayEitherSideSoTheTicksAreDatesNotMilliseconds()
    {
        var only = CalibrationPageTests.Baseline(1, DateTimeOffset.Parse("2026-11-30T05:12:34Z"), 1);

        var cut = Render<ThresholdHistoryChart>(p => p.Add(c => c.Baselines, [only]).Add(c => c.Scheme, TierScheme.Views));

        var axis = cut.FindComponent<PlotlyChart>().Instance.Layout.XAxis[0];
        Assert.Equal(Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, axis.Type);
        Assert.Equal(["2026-11-29 05:12:34", "2026-12-01 05:12:34"], axis.Range.Cast<string>());
    }
}

public sealed class TierProbabilitiesChartTests : DashboardTestContext
{
    [Fact]
    public void OneBarPerTierWithThePredictedTierHighlighted()
    {
        var cut = Render<TierProbabilitiesChart>(p => p.Add(c => c.Probabilities, [0.1f, 0.2f, 0.6f, 0.05f, 0.05f]).Add(c => c.PredictedTier, 3));

        var bar = Assert.IsType<Bar>(Assert.Single(cut.FindComponent<PlotlyChart>().Instance.Data));
        Assert.Equal(["tier 1", "tier 2", "tier 3", "tier 4", "tier 5"], bar.X.Cast<string>());
        Assert.Equal(["10%", "20%", "60%", "5%", "5%"], bar.TextArray);
        Assert.Equal(1, bar.Marker.ColorArray.Cast<string>().Count(c => c == "#7e57c2"));
        Assert.Equal("#7e57c2", bar.Marker.ColorArray.Cast<string>().ElementAt(2));
    }
}
