using MudBlazor;

namespace ViralityDashboard.Components.Layout;

/// <summary>
/// The palettes, chosen for WCAG 2.2 AA contrast (4.5:1 for text), which MudBlazor's defaults miss: its success,
/// info, warning and error colours are too light for text on white (2.2–3.7:1), and in dark mode white text on the
/// light primary and the grey secondary text fall short. The Browser accessibility tests run axe over every page in
/// both modes.
/// </summary>
internal static class AppTheme
{
    public static readonly MudTheme Default = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#5b3cc4",
            Secondary = "#ff4f7b",
            AppbarBackground = "#5b3cc4",
            // Material's 800 shades (orange's is too light even there): text and white-on-colour both reach 5:1.
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#b45309",
            Error = "#c62828",
        },
        // Dark mode: light colours carrying black text, so one colour serves as text on the dark surface and as a
        // filled background. Alerts write their text in the "darken" shade on a tint of the colour: lighter here.
        PaletteDark = new PaletteDark
        {
            Primary = "#b6a6ff",
            PrimaryContrastText = "#000000",
            Secondary = "#ff7a9c",
            SecondaryContrastText = "#000000",
            Success = "#81c784",
            SuccessContrastText = "#000000",
            SuccessDarken = "#a5d6a7",
            Info = "#90caf9",
            InfoContrastText = "#000000",
            InfoDarken = "#bbdefb",
            Warning = "#ffb74d",
            WarningContrastText = "#000000",
            WarningDarken = "#ffcc80",
            Error = "#ef9a9a",
            ErrorContrastText = "#000000",
            ErrorDarken = "#ffcdd2",
            TextSecondary = "rgba(255,255,255,0.70)",
            // The default stripe (a fifth of white) left table text at 4.1:1.
            TableStriped = "rgba(255,255,255,0.04)",
        },
    };
}
