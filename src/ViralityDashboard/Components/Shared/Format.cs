using System.Globalization;

namespace ViralityDashboard.Components.Shared;

/// <summary>How pages print figures: one culture-invariant style everywhere.</summary>
public static class Format
{
    public static string Score(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "—";
    public static string Percent(double? value) => value is { } v ? v.ToString("0.0%", CultureInfo.InvariantCulture) : "—";
    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";
    /// <summary>Month, day and time in UTC, for narrow tables.</summary>
    public static string ShortWhen(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";
    public static string Duration(TimeSpan? d) => d switch
    {
        null => "—",
        { TotalSeconds: < 60 } s => s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        var s => $"{(int)s.Value.TotalMinutes} min {s.Value.Seconds} s",
    };
}
