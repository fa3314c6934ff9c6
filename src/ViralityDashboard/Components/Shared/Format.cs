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
    /// <summary>Binary units (1 MiB = 1,048,576 bytes), one decimal above a KiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1L << 20 => (bytes / 1024d).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1L << 30 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
    };
    public static string Duration(TimeSpan? d) => d switch
    {
        null => "—",
        { TotalSeconds: < 60 } s => s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        var s => $"{(int)s.Value.TotalMinutes} min {s.Value.Seconds} s",
    };
}
