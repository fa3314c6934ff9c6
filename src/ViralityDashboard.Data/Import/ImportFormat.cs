using System.Text;
using System.Text.Json;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// The import formats, told apart by the file's content, not its name: the normalized CSV, Apify's CSV export,
/// and three kinds of JSON items (tiktok-scraper, Apify, TikTok web), each as an array or as JSON Lines.
/// </summary>
internal static class ImportFormat
{
    public const string Csv = "csv";
    public const string ApifyCsv = "apify-csv";
    public const string ScraperJson = "tiktok-scraper";
    public const string ApifyJson = "apify";
    public const string WebItems = "tiktok-web-items";
    /// <summary>Appended to a JSON format's name when its items came as JSON Lines.</summary>
    public const string LinesSuffix = "-jsonl";

    private const int SniffBytes = 4096;

    /// <summary>Reads the start of the stream, decides the format, and returns the rows of the whole stream.</summary>
    public static async Task<(string Format, IAsyncEnumerable<ParsedRow> Rows)> OpenAsync(Stream stream, DateTimeOffset now, CancellationToken ct)
    {
        var head = new byte[SniffBytes];
        var length = 0;
        int read;
        while (length < head.Length && (read = await stream.ReadAsync(head.AsMemory(length), ct)) > 0)
            length += read;
        // A byte order mark (Windows editors write one) is no part of the JSON, and the JSON reader refuses it.
        var bom = head.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0;
        var replay = new ReplayStream(head.AsMemory(bom, length - bom), stream);
        var sniff = head.AsSpan(bom, length - bom);

        if (FirstNonText(sniff, complete: length < head.Length) is int bad)
            throw new ImportFormatException(
                $"the file is not text (byte offset {bom + bad} holds 0x{sniff[bad]:X2}, {(sniff[bad] == 0 ? "a NUL" : "not valid UTF-8")}); expected CSV or JSON");
        var first = FirstSignificantByte(sniff);
        return first switch
        {
            -1 => throw new ImportFormatException("the file is empty"),
            (byte)'{' when StartsAsJsonLines(sniff) => await JsonLinesRowsAsync(replay, now, ct),
            (byte)'{' => (ScraperJson, JsonRows(replay, "collector", now, ct)),
            (byte)'[' => await JsonArrayRowsAsync(replay, now, ct),
            _ => CsvRows(replay, bom, now, ct),
        };
    }

    private static (string, IAsyncEnumerable<ParsedRow>) CsvRows(Stream stream, int bom, DateTimeOffset now, CancellationToken ct)
    {
        var bytes = new Utf8LineCheck(stream, firstOffset: bom);
        var (apify, rows) = CsvVideoReader.Open(new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), now, ct, bytes);
        return (apify ? ApifyCsv : Csv, rows);
    }

    /// <summary>A bare array holds scraper, Apify or web items; the first item decides.</summary>
    private static async Task<(string, IAsyncEnumerable<ParsedRow>)> JsonArrayRowsAsync(Stream stream, DateTimeOffset now, CancellationToken ct)
    {
        var items = JsonItemStream.ReadAsync(stream, null, ct).GetAsyncEnumerator(ct);
        var hasFirst = await items.MoveNextAsync();
        var web = !hasFirst || TikTokJsonMapper.IsWebItem(items.Current);
        return (ItemFormat(hasFirst ? items.Current : default, web), MapAll(items, hasFirst, web, now));
    }

    private static string ItemFormat(JsonElement first, bool web) =>
        web ? WebItems : TikTokJsonMapper.IsApifyItem(first) ? ApifyJson : ScraperJson;

    /// <summary>JSON Lines of any of the item kinds; the first item decides, and rows are named by line.</summary>
    private static async Task<(string, IAsyncEnumerable<ParsedRow>)> JsonLinesRowsAsync(Stream stream, DateTimeOffset now, CancellationToken ct)
    {
        var items = JsonItemStream.ReadLinesAsync(stream, ct).GetAsyncEnumerator(ct);
        var hasFirst = await items.MoveNextAsync();
        var web = hasFirst && TikTokJsonMapper.IsWebItem(items.Current.Value);
        return (ItemFormat(hasFirst ? items.Current.Value : default, web) + LinesSuffix, MapLines(items, hasFirst, web, now));
    }

    private static async IAsyncEnumerable<ParsedRow> MapLines(IAsyncEnumerator<JsonItem> items, bool hasFirst, bool web, DateTimeOffset now)
    {
        await using (items)
        {
            if (!hasFirst)
                yield break;
            do
            {
                yield return TikTokJsonMapper.Map(items.Current.Value, new RowPlace("line", items.Current.Line), web, now);
            }
            while (await items.MoveNextAsync());
        }
    }

    /// <summary>
    /// Top-level fields of an item of any kind. Web items list theirs alphabetically, so <c>id</c> may come kilobytes
    /// in, after <c>AIGCDescription</c>, <c>anchors</c> and <c>author</c>.
    /// </summary>
    private static readonly string[] ItemFields =
        ["id", "text", "desc", "createTime", "createTimeISO", "playCount", "stats", "statsV2", "authorMeta", "author", "webVideoUrl", "AIGCDescription", "CategoryType"];

    /// <summary>
    /// A file that starts with an object is either tiktok-scraper's <c>{"collector": [...]}</c> or JSON Lines of
    /// items. An item has one of <see cref="ItemFields"/> at its top level and the wrapper does not; a first object
    /// that ends and is followed by another value is JSON Lines too. The wrapper may open with large request headers, so
    /// anything undecided within the sniffed bytes stays the wrapper, as before.
    /// </summary>
    private static bool StartsAsJsonLines(ReadOnlySpan<byte> sniff)
    {
        var reader = new Utf8JsonReader(sniff, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = true,
        }));
        try
        {
            var firstEnded = false;
            while (reader.Read())
            {
                if (firstEnded)
                    return true;
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    if (reader.ValueTextEquals("collector"))
                        return false;
                    foreach (var field in ItemFields)
                    {
                        if (reader.ValueTextEquals(field))
                            return true;
                    }
                }
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                    firstEnded = true;
            }
            return false;
        }
        catch (JsonException)
        {
            return false; // the wrapper's reader names the fault
        }
    }

    private static async IAsyncEnumerable<ParsedRow> JsonRows(Stream stream, string property, DateTimeOffset now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long index = 1; // numbered from 1, as lines are
        await foreach (var item in JsonItemStream.ReadAsync(stream, property, ct))
            yield return TikTokJsonMapper.Map(item, index++, webItem: false, now);
    }

    private static async IAsyncEnumerable<ParsedRow> MapAll(IAsyncEnumerator<JsonElement> items, bool hasFirst, bool web, DateTimeOffset now)
    {
        await using (items)
        {
            long index = 1; // numbered from 1, as lines are
            if (!hasFirst)
                yield break;
            do
            {
                yield return TikTokJsonMapper.Map(items.Current, index++, web, now);
            }
            while (await items.MoveNextAsync());
        }
    }

    private static int FirstSignificantByte(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return b;
        }
        return -1;
    }

    /// <summary>Where the first NUL or byte that is not UTF-8 is (an offset into <paramref name="data"/>), if any.</summary>
    private static int? FirstNonText(ReadOnlySpan<byte> data, bool complete)
    {
        for (var i = 0; i < data.Length;)
        {
            if (data[i] == 0)
                return i;
            var status = Rune.DecodeFromUtf8(data[i..], out _, out var used);
            // The sniff may cut a multi-byte character in two: an incomplete one at the very end is not an error.
            if (status == System.Buffers.OperationStatus.NeedMoreData && !complete)
                return null;
            if (status != System.Buffers.OperationStatus.Done)
                return i;
            i += used;
        }
        return null;
    }

    /// <summary>Gives back the sniffed bytes, then the rest of the inner stream.</summary>
    private sealed class ReplayStream(ReadOnlyMemory<byte> head, Stream inner) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _head = head;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_head.IsEmpty)
                return await inner.ReadAsync(buffer, ct);
            var n = Math.Min(buffer.Length, _head.Length);
            _head[..n].CopyTo(buffer);
            _head = _head[n..];
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_head.IsEmpty)
                return inner.Read(buffer, offset, count);
            var n = Math.Min(count, _head.Length);
            _head[..n].Span.CopyTo(buffer.AsSpan(offset));
            _head = _head[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    }
}
