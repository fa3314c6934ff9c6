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

    /// <summary>Optional beyond <see cref="Header"/>: when the row's counts were scraped (a history has one row per scrape).</summary>
    public const string ScrapedAtColumn = "scraped_at";

    /// <summary>Optional beyond <see cref="Header"/>: the video's cover image (an http(s) URL), shown on the Rate page.</summary>
    public const string CoverUrlColumn = "cover_url";

    private static readonly string[] RequiredColumns = ["video_id", "views", "likes", "shares", "comments"];

    /// <summary>Apify's CSV export: nested fields flattened into <c>authorMeta/name</c>, <c>hashtags/0/name</c>, ….</summary>
    private static readonly string[] ApifyRequiredColumns = ["id", "playCount", "diggCount", "shareCount"];

    /// <param name="bytes">The check under the reader's stream, which tells the rows that held bytes that are not UTF-8.</param>
    public static IAsyncEnumerable<ParsedRow> ReadAsync(TextReader text, DateTimeOffset now, CancellationToken ct = default, Utf8LineCheck? bytes = null) =>
        Open(text, now, ct, bytes).Rows;

    /// <summary>
    /// Reads the header now (it decides the dialect: the normalized CSV, or Apify's export, which has
    /// <c>playCount</c>) and returns the rows to stream.
    /// </summary>
    public static (bool Apify, IAsyncEnumerable<ParsedRow> Rows) Open(TextReader text, DateTimeOffset now, CancellationToken ct = default, Utf8LineCheck? bytes = null)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Quoting mistakes desynchronise every later field: stop with the line rather than guess.
            BadDataFound = args => throw new ImportFormatException(
                $"line {args.Context.Parser?.RawRow}: malformed CSV quoting near '{FieldRules.Shorten(args.RawRecord.Trim())}'"),
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        var csv = new CsvReader(text, config);
        try
        {
            if (!Read(csv))
                throw new ImportFormatException("the CSV file is empty (expected a header line: " + string.Join(',', Header) + ")");
            csv.ReadHeader();
            var columns = (csv.HeaderRecord ?? []).Select(h => h.Trim()).ToArray();
            var apify = columns.Contains("playCount");
            var required = apify ? ApifyRequiredColumns : RequiredColumns;
            var missing = required.Where(c => !columns.Contains(c)).ToArray();
            if (missing.Length > 0)
                throw new ImportFormatException(apify
                    ? $"line 1: the Apify CSV header lacks {string.Join(", ", missing)}"
                    : $"line 1: the CSV header lacks {string.Join(", ", missing)} (expected: {string.Join(',', Header)})");
            Func<CsvReader, RowPlace, ParsedRow> parse = apify ? ApifyParser(columns, now) : NormalizedParser(columns, now);
            return (apify, Rows(csv, columns.Length, parse, bytes, ct));
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    private static async IAsyncEnumerable<ParsedRow> Rows(CsvReader csv, int columnCount, Func<CsvReader, RowPlace, ParsedRow> parse, Utf8LineCheck? bytes, [EnumeratorCancellation] CancellationToken ct)
    {
        using var _ = csv;
        long previousRawRow = csv.Parser.RawRow;
        while (await ReadAsync(csv))
        {
            ct.ThrowIfCancellationRequested();
            var where = new RowPlace("line", previousRawRow + 1);
            if (bytes?.InvalidLineBetween(where.Number, csv.Parser.RawRow) is (long badLine, long offset))
            {
                previousRawRow = csv.Parser.RawRow;
                yield return ParsedRow.Invalid(where, $"line {badLine} holds bytes that are not valid UTF-8 text (the first at byte offset {offset})");
                continue;
            }
            previousRawRow = csv.Parser.RawRow;
            if (csv.Parser.Count != columnCount)
            {
                yield return ParsedRow.Invalid(where, $"expected {columnCount} fields, found {csv.Parser.Count}");
                continue;
            }
            yield return parse(csv, where);
        }
    }

    private static Func<CsvReader, RowPlace, ParsedRow> NormalizedParser(string[] columns, DateTimeOffset now)
    {
        var index = Header.Append(ScrapedAtColumn).Append(CoverUrlColumn).ToDictionary(h => h, h => Array.IndexOf(columns, h));
        return (csv, where) => Parse(csv, index, where, now);
    }

    /// <summary>
    /// The columns of Apify's CSV export that the import uses, by their flattened names. Hashtags come as
    /// <c>hashtags/0/name</c>, <c>hashtags/1/name</c>, … up to the most any item had; <c>createTimeISO</c> stands in
    /// for a missing <c>createTime</c>, as in the JSON.
    /// </summary>
    private static Func<CsvReader, RowPlace, ParsedRow> ApifyParser(string[] columns, DateTimeOffset now)
    {
        int At(string name) => Array.IndexOf(columns, name);
        var hashtagColumns = columns
            .Select((name, i) => (name, i))
            .Where(c => c.name.StartsWith("hashtags/", StringComparison.Ordinal) && c.name.EndsWith("/name", StringComparison.Ordinal)
                && int.TryParse(c.name["hashtags/".Length..^"/name".Length], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(c => int.Parse(c.name["hashtags/".Length..^"/name".Length], CultureInfo.InvariantCulture))
            .Select(c => c.i)
            .ToArray();
        int id = At("id"), views = At("playCount"), likes = At("diggCount"), shares = At("shareCount"), comments = At("commentCount"),
            saves = At("collectCount"), duration = At("videoMeta/duration"), sound = At("musicMeta/musicName"), original = At("musicMeta/musicOriginal"),
            text = At("text"), created = At("createTime"), createdIso = At("createTimeISO"), handle = At("authorMeta/name"),
            fans = At("authorMeta/fans"), verified = At("authorMeta/verified"), url = At("webVideoUrl"), cover = At("videoMeta/coverUrl");
        return (csv, where) =>
        {
            string? Field(int i) => i >= 0 ? csv.Parser[i] : null;
            try
            {
                var unix = Field(created);
                var video = new ScrapedVideoRecord
                {
                    VideoId = FieldRules.VideoId(Field(id)),
                    Views = FieldRules.Count("playCount", Field(views)),
                    Likes = FieldRules.Count("diggCount", Field(likes)),
                    Shares = FieldRules.Count("shareCount", Field(shares)),
                    // Empty, or no such column: comments turned off, as for the JSON items.
                    Comments = FieldRules.OptionalCount("commentCount", Field(comments)),
                    Saves = FieldRules.OptionalCount("collectCount", Field(saves)),
                    DurationSeconds = Field(duration) is { Length: > 0 } d ? FieldRules.Duration("videoMeta/duration", ParseDouble("videoMeta/duration", d)) : null,
                    Hashtags = FieldRules.Hashtags(hashtagColumns.Select(i => csv.Parser[i])),
                    SoundName = FieldRules.Text("musicMeta/musicName", Field(sound)),
                    SoundOriginal = FieldRules.Boolean("musicMeta/musicOriginal", Field(original)),
                    Description = FieldRules.Text("text", Field(text)),
                    CreatedAt = !string.IsNullOrWhiteSpace(unix)
                        ? FieldRules.UnixSeconds(FieldRules.ParseLong("createTime", unix), now)
                        : FieldRules.PostedAt("createTimeISO", Field(createdIso), now),
                    AuthorHandle = FieldRules.Text("authorMeta/name", Field(handle)),
                    AuthorFollowers = FieldRules.OptionalCount("authorMeta/fans", Field(fans), FieldRules.MaxFollowers),
                    AuthorVerified = FieldRules.Boolean("authorMeta/verified", Field(verified)),
                    VideoUrl = FieldRules.HttpUrl("webVideoUrl", Field(url)),
                    CoverUrl = FieldRules.HttpUrl("videoMeta/coverUrl", Field(cover)),
                };
                return ParsedRow.Valid(where, video);
            }
            catch (RowException e)
            {
                return ParsedRow.Invalid(where, e.Message);
            }
        };
    }

    private static double ParseDouble(string field, string raw) =>
        double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d : throw new RowException($"{field} '{FieldRules.Shorten(raw.Trim())}' is not a number");

    // Synchronous on purpose: CsvHelper's async read costs a task per record, and the file is local.
    private static Task<bool> ReadAsync(CsvReader csv) => Task.FromResult(Read(csv));

    private static bool Read(CsvReader csv)
    {
        try
        {
            return csv.Read();
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
            var createdAt = FieldRules.PostedAt(Field("created_at"), now);
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
                CreatedAt = createdAt,
                AuthorFollowers = FieldRules.OptionalCount("author_followers", Field("author_followers"), FieldRules.MaxFollowers),
                AuthorVerified = FieldRules.Boolean("author_verified", Field("author_verified")),
                ScrapedAt = FieldRules.ScrapedAt(ScrapedAtColumn, Field(ScrapedAtColumn), createdAt, now),
                CoverUrl = FieldRules.HttpUrl(CoverUrlColumn, Field(CoverUrlColumn)),
            };
            return ParsedRow.Valid(where, video);
        }
        catch (RowException e)
        {
            return ParsedRow.Invalid(where, e.Message);
        }
    }
}
