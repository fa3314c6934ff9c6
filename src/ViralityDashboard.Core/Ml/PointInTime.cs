using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

/// <summary>What a run's rows describe: a video's latest counts, or what it looked like when young.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingRowsMode>))]
public enum TrainingRowsMode
{
    /// <summary>Features and tier both from the latest counts (the seeds' design): tests a question nobody asks.</summary>
    [JsonStringEnumMemberName("latest")] Latest,
    /// <summary>Features from a snapshot taken before maturity, tier from the matured counts: the question a creator asks.</summary>
    [JsonStringEnumMemberName("point-in-time")] PointInTime,
}

/// <summary>
/// A row's observation: what its label measure (views, or WES) was when its features were observed, how old the video
/// was then, and what the measure became at maturity. The growth baseline learns from these; the split orders by
/// <paramref name="FirstSeenAt"/>.
/// </summary>
public readonly record struct Observation(double Measure, double AgeHours, DateTimeOffset FirstSeenAt, double MaturedMeasure);

/// <summary>The accuracy a run will be served at: its test videos, with their features as first seen and their tier as matured.</summary>
/// <param name="Videos">Test videos with a first snapshot taken before their matured one (the rest cannot be judged this way).</param>
public sealed record ServedAccuracy(ClassificationMetrics Metrics, int Videos);

/// <summary>Which videos a run's rows came from, and why the others did not count.</summary>
/// <param name="Videos">Videos that gave rows.</param>
/// <param name="SkippedNotMatured">No snapshot yet taken <c>MatureAfterDays</c> after posting: rows once they mature.</param>
/// <param name="SkippedNoEarlierSnapshot">A single snapshot, or the first one already matured: features and outcome would be the same counts.</param>
/// <param name="MinAgeHours">Youngest observation age of the rows, in hours (the Predictor warns outside this range).</param>
/// <param name="MaxAgeHours">Oldest observation age of the rows, in hours.</param>
public sealed record RowsReport(
    TrainingRowsMode Mode, int Videos, int Rows, int SkippedNotMatured, int SkippedNoEarlierSnapshot,
    double? MinAgeHours = null, double? MedianAgeHours = null, double? MaxAgeHours = null);
