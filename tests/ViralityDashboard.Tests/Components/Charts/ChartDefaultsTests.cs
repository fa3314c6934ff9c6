using Bunit;
using Plotly.Blazor;
using ViralityDashboard.Components.Charts;

namespace ViralityDashboard.Tests.Components.Charts;

/// <summary>Plotly's mode bar sits at a chart's top right, where a centred title also sits on a narrow chart.</summary>
public sealed class ChartDefaultsTests : DashboardTestContext
{
    [Fact]
    public void TheModeBarShowsOnlyOnHoverAndTitlesStartAtTheLeftClearOfIt()
    {
        var cut = Render<MetricsOverVersionsChart>(p => p.Add(c => c.Versions, new FakeTraining().Versions));

        var chart = cut.FindComponent<PlotlyChart>().Instance;
        Assert.Equal(Plotly.Blazor.ConfigLib.DisplayModeBarEnum.Hover, chart.Config.DisplayModeBar);
        Assert.NotNull(chart.Layout.Title?.Text);
        Assert.Equal(Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left, chart.Layout.Title.XAnchor);
    }
}
