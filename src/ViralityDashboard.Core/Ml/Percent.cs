using System.Globalization;

namespace ViralityDashboard.Core.Ml;

/// <summary>Percentages in stored reasons and warnings, the same on every machine whatever its culture.</summary>
internal static class Percent
{
    public static string Of(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
