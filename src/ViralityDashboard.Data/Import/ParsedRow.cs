using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>One row of an import file: a valid video, or the reason it is not one.</summary>
public readonly record struct ParsedRow(string Where, ScrapedVideoRecord? Video, string? Error)
{
    public static ParsedRow Valid(string where, ScrapedVideoRecord video) => new(where, video, null);
    public static ParsedRow Invalid(string where, string error) => new(where, null, error);
}

/// <summary>A field that failed validation; the message names the field and the value.</summary>
internal sealed class RowException(string message) : Exception(message);
