using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;
using CsvHelper.Configuration;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>Reads the normalized CSV (see the data README), streaming, one <see cref="ParsedRow"/> per record.</summary>
internal static class CsvVideoReader
{
    public static readonly string[] Header =
    [
        "video_id", "views", "likes", "shares", "comments", "saves", "duration_seconds", "hashtags",
        "sound_name", "description", "created_at", "author_followers", "author_verified",
    ];

    private static readonly string[] RequiredColumns = ["video_id", "views", "likes", "shares", "comments"];

    /// <param name="bytes">The check under the reader's stream, which tells the rows that held bytes that are not UTF-8.</param>
    public static async IAsyncEnumerable<ParsedRow> ReadAsync(TextReader text, DateTimeOffset now, [EnumeratorCancellation] CancellationToken ct = default, Utf8LineCheck? bytes = null)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Quoting mistakes desynchronise every later field: stop with the line rather than guess.
            BadDataFound = args => throw new ImportFormatException(
                $"line {args.Context.Parser?.RawRow}: malformed CSV quoting near '{FieldRules.Shorten(args.RawRecord.Trim())}'"),
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        using var csv = new CsvReader(text, config);
        if (!await ReadAsync(csv))
            throw new ImportFormatException("the CSV file is empty (expected a header line: " + string.Join(',', Header) + ")");
        csv.ReadHeader();
        var columns = (csv.HeaderRecord ?? []).Select(h => h.Trim()).ToArray();
        var missing = RequiredColumns.Where(c => !columns.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new ImportFormatException(
                $"line 1: the CSV header lacks {string.Join(", ", missing)} (expected: {string.Join(',', Header)})");
        var index = Header.ToDictionary(h => h, h => Array.IndexOf(columns, h));

        long previousRawRow = csv.Parser.RawRow;
        while (await ReadAsync(csv))
        {
            ct.ThrowIfCancellationRequested();
            var where = new RowPlace("line", previousRawRow + 1);
            if (bytes?.InvalidLineBetween(where.Number, csv.Parser.RawRow) is long badLine)
            {
                previousRawRow = csv.Parser.RawRow;
                yield return ParsedRow.Invalid(where, $"line {badLine} holds bytes that are not valid UTF-8 text");
                continue;
            }
            previousRawRow = csv.Parser.RawRow;
            if (csv.Parser.Count != columns.Length)
            {
                yield return ParsedRow.Invalid(where, $"expected {columns.Length} fields, found {csv.Parser.Count}");
                continue;
            }
            yield return Parse(csv, index, where, now);
        }
    }

    // Synchronous on purpose: CsvHelper's async read costs a task per record, and the file is local.
    private static Task<bool> ReadAsync(CsvReader csv)
    {
        try
        {
            return Task.FromResult(csv.Read());
        }
        catch (CsvHelperException e) when (e is not BadDataException)
        {
            throw new ImportFormatException($"line {csv.Parser.RawRow}: {e.Message.Split('\n')[0]}");
        }
    }

    private static ParsedRow Parse(CsvReader csv, Dictionary<string, int> index, RowPlace where, DateTimeOffset now)
    {
        string? Field(string name) => index[name] >= 0 ? csv.Parser[index[name]] : null;
        try
        {
            var video = new ScrapedVideoRecord
            {
                VideoId = FieldRules.VideoId(Field("video_id")),
                Views = FieldRules.Count("views", Field("views")),
                Likes = FieldRules.Count("likes", Field("likes")),
                Shares = FieldRules.Count("shares", Field("shares")),
                // An empty cell: comments are turned off on the video, and TikTok gives no count.
                Comments = FieldRules.OptionalCount("comments", Field("comments")),
                Saves = FieldRules.OptionalCount("saves", Field("saves")),
                DurationSeconds = FieldRules.Duration(Field("duration_seconds")),
                Hashtags = FieldRules.Hashtags((Field("hashtags") ?? "").Split('|')),
                SoundName = FieldRules.Text("sound_name", Field("sound_name")),
                Description = FieldRules.Text("description", Field("description")),
                CreatedAt = FieldRules.PostedAt(Field("created_at"), now),
                AuthorFollowers = FieldRules.OptionalCount("author_followers", Field("author_followers"), FieldRules.MaxFollowers),
                AuthorVerified = FieldRules.Boolean("author_verified", Field("author_verified")),
            };
            return ParsedRow.Valid(where, video);
        }
        catch (RowException e)
        {
            return ParsedRow.Invalid(where, e.Message);
        }
    }
}
