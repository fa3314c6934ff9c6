using MudBlazor;

namespace ViralityDashboard.Components.Layout;

internal static class AppTheme
{
    public static readonly MudTheme Default = new()
    {
        PaletteLight = new PaletteLight { Primary = "#5b3cc4", Secondary = "#ff4f7b", AppbarBackground = "#5b3cc4" },
        PaletteDark = new PaletteDark { Primary = "#9d86ff", Secondary = "#ff7a9c" },
    };
}
