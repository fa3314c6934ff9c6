using System.Globalization;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>
/// The age a prediction is asked at ("hours since posting"), as the Predictor form, <c>/api/predict</c> and the CLI
/// take it. It reaches the features through <see cref="ScrapedVideoRecord.AgeHours"/>, as a scraped snapshot's age does.
/// </summary>
public static class ObservationAge
{
    /// <summary>
    /// About eleven years: older than any TikTok video (musical.ly launched in 2014). A larger age is a typo, not a video.
    /// </summary>
    public const double MaxHours = 100_000;

    /// <summary>Hours from <paramref name="postedAt"/> to <paramref name="now"/>, to one decimal; 0 for a time not yet reached; null when unknown.</summary>
    public static double? HoursSince(DateTimeOffset? postedAt, DateTimeOffset now) =>
        postedAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalHours), 1) : null;

    /// <summary>
    /// The video as observed <paramref name="hours"/> after posting: its scrape time is its posting time plus the hours.
    /// With no posting time, the age counts from first seen (as for a scraped video), taken as <paramref name="now"/>
    /// minus the hours when the record has none.
    /// </summary>
    public static ScrapedVideoRecord At(ScrapedVideoRecord video, double hours, DateTimeOffset now)
    {
        var age = TimeSpan.FromHours(hours);
        if (video.CreatedAt is { } posted)
            return video with { ScrapedAt = posted + age };
        var firstSeen = video.FirstSeenAt ?? now - age;
        return video with { FirstSeenAt = firstSeen, ScrapedAt = firstSeen + age };
    }

    /// <summary>Why <paramref name="hours"/> is no age a video can have, or null when it is one.</summary>
    public static string? Problem(double hours) =>
        double.IsNaN(hours) || double.IsInfinity(hours) ? "must be a number of hours"
        : hours < 0 ? "must not be negative"
        : hours > MaxHours ? string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxHours:N0} hours (about 11 years)")
        : null;

    /// <summary>"Trained on snapshots 3–90 h old (median 20 h)", or null when the version's rows say nothing about ages.</summary>
    public static string? TrainedFor(RowsReport? rows) => rows is { MinAgeHours: { } min, MaxAgeHours: { } max }
        ? string.Create(CultureInfo.InvariantCulture,
            $"Trained on snapshots {Hours(min)}–{Hours(max)} old{(rows.MedianAgeHours is { } median ? $" (median {Hours(median)})" : "")}, {rows.Mode.Wire()} rows.")
        : null;

    /// <summary>A warning when <paramref name="hours"/> lies outside the ages the version was trained on, else null.</summary>
    public static string? OutsideTraining(RowsReport? rows, double? hours) =>
        rows is { MinAgeHours: { } min, MaxAgeHours: { } max } && hours is { } h && (h < min || h > max)
            ? string.Create(CultureInfo.InvariantCulture,
                $"The video is {Hours(h)} old, {(h < min ? "younger" : "older")} than any snapshot this model was trained on ({Hours(min)}–{Hours(max)}): the prediction extrapolates.")
            : null;

    private static string Hours(double h) => h.ToString(h < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture) + " h";
}
