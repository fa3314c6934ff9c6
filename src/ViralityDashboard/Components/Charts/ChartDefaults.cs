using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace ViralityDashboard.Components.Charts;

/// <summary>
/// What every chart shares: transparent background (follows the theme), small margins, no Plotly logo. The mode bar
/// (zoom, download …) sits at the top right over the title area: shown only while the pointer is on the chart, and titles
/// start at the plot's left edge, so it never covers them.
/// </summary>
internal static class ChartDefaults
{
    public static Config Config => new() { Responsive = true, DisplayLogo = false, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.Hover };

    /// <param name="bottomMargin">The calibration and predictor charts have always kept a slightly smaller bottom margin (50).</param>
    public static Plotly.Blazor.Layout Layout(string? title, int height = 320, int bottomMargin = 60) => new()
    {
        Title = title is null ? null : new Title
        {
            Text = title, X = 0, XRef = Plotly.Blazor.LayoutLib.TitleLib.XRefEnum.Paper, XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left,
        },
        Height = height,
        Margin = new Margin { L = 60, R = 20, T = title is null ? 20 : 40, B = bottomMargin },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = "#888" },
    };
}
