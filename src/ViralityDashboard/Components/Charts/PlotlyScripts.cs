using System.Reflection;
using Plotly.Blazor;

namespace ViralityDashboard.Components.Charts;

/// <summary>
/// The paths Plotly.Blazor loads its interop module and plotly.js from. They are private constants of its version
/// (the file names carry it), read here so that <c>InteractiveChart.razor.js</c> loads the very same module and
/// script element; a test fails if an upgrade renames them.
/// </summary>
internal static class PlotlyScripts
{
    public static readonly string? Interop = Constant("InteropPath");

    public static readonly string? Plotly = Constant("PlotlyPath");

    public static bool Known => Interop is not null && Plotly is not null;

    private static string? Constant(string name) =>
        typeof(PlotlyJsInterop).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetRawConstantValue() as string;
}
