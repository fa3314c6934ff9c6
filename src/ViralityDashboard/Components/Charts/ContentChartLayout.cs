using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace ViralityDashboard.Components.Charts;

/// <summary>Shared look of the calibration and predictor charts: transparent (follows the theme), small margins, no logo.</summary>
internal static class ContentChartLayout
{
    public static Config Config => new() { Responsive = true, DisplayLogo = false };

    public static Plotly.Blazor.Layout Create(string? title, int height = 320) => new()
    {
        Title = title is null ? null : new Title { Text = title },
        Height = height,
        Margin = new Margin { L = 60, R = 20, T = title is null ? 20 : 40, B = 50 },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = "#888" },
    };

    public static readonly string[] TierColors = ["#9e9e9e", "#64b5f6", "#4db6ac", "#ffb74d", "#e57373"];
}
