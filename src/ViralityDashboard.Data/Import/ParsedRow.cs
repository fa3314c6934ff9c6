using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>One row of an import file: a valid video, or the reason it is not one.</summary>
public readonly record struct ParsedRow(RowPlace Where, ScrapedVideoRecord? Video, string? Error)
{
    public static ParsedRow Valid(RowPlace where, ScrapedVideoRecord video) => new(where, video, null);
    public static ParsedRow Invalid(RowPlace where, string error) => new(where, null, error);
}

/// <summary>Where a row sits ("line 12", "item 3"); put into words only for a rejection, not for every row.</summary>
public readonly record struct RowPlace(string Unit, long Number)
{
    public override string ToString() => $"{Unit} {Number}";
}

/// <summary>A field that failed validation; the message names the field and the value.</summary>
internal sealed class RowException(string message) : Exception(message);
