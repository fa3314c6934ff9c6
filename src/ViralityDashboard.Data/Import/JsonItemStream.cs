using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ViralityDashboard.Data.Import;

/// <summary>An item and the line it starts on (JSON Lines name rows by line).</summary>
internal readonly record struct JsonItem(JsonElement Value, long Line);

/// <summary>
/// Streams the items of a JSON array, either the whole document (<c>[...]</c>) or the array under a named
/// property of the top-level object (<c>{"collector": [...]}</c>), or the top-level values of a JSON Lines file,
/// holding one item in memory at a time.
/// </summary>
internal static class JsonItemStream
{
    private const int InitialBuffer = 64 * 1024;

    public static async IAsyncEnumerable<JsonElement> ReadAsync(Stream stream, string? arrayProperty, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in ReadItemsAsync(stream, arrayProperty, lines: false, ct))
            yield return item.Value;
    }

    /// <summary>JSON Lines: one value per line (in fact any white space between values), each an item.</summary>
    public static IAsyncEnumerable<JsonItem> ReadLinesAsync(Stream stream, CancellationToken ct = default) =>
        ReadItemsAsync(stream, null, lines: true, ct);

    private static async IAsyncEnumerable<JsonItem> ReadItemsAsync(Stream stream, string? arrayProperty, bool lines, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[InitialBuffer];
        int length = 0;
        var scan = new ScanState(new JsonReaderState(new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = lines,
        }));
        if (lines)
            scan.Phase = Phase.InArray; // every top-level value is an item, as if in an array that never closes
        var items = new List<JsonItem>();
        var endOfStream = false;
        long index = 0;
        while (true)
        {
            if (!endOfStream)
            {
                if (length == buffer.Length)
                    Array.Resize(ref buffer, buffer.Length * 2); // an item larger than the buffer
                var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                    endOfStream = true;
                length += read;
            }
            int consumed;
            try
            {
                consumed = Scan(buffer.AsSpan(0, length), endOfStream, arrayProperty, ref scan, items);
            }
            catch (JsonException e) when (endOfStream)
            {
                throw new ImportFormatException($"item {index + items.Count + 1}: the JSON ends unexpectedly (truncated file?) at {Describe(e)}");
            }
            catch (JsonException e)
            {
                throw new ImportFormatException($"item {index + items.Count + 1}: the JSON is malformed at {Describe(e)}");
            }
            foreach (var item in items)
            {
                yield return item;
                index++;
            }
            items.Clear();
            if (endOfStream && consumed == length)
            {
                if (scan.Phase == Phase.AfterValue || lines)
                    yield break;
                throw new ImportFormatException(scan.Phase == Phase.BeforeArray
                    ? arrayProperty is null ? "the JSON holds no array of items" : $"the JSON holds no \"{arrayProperty}\" array"
                    : $"the JSON ends after item {index} without closing its array (truncated file?)");
            }
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
        }
    }

    /// <summary>
    /// Looking for the array; reading its items; after it, the rest of the top-level object; after the
    /// top-level value, where only white space and comments may follow.
    /// </summary>
    private enum Phase { BeforeArray, InArray, AfterArray, AfterValue }

    private struct ScanState(JsonReaderState reader)
    {
        public JsonReaderState Reader = reader;
        /// <summary>The line of the first byte not yet done with.</summary>
        public long Line = 1;
        public Phase Phase = Phase.BeforeArray;
        /// <summary>The property just read names the array.</summary>
        public bool ExpectArray;
        /// <summary>The property just read is another one, whose value is passed over.</summary>
        public bool SkipValue;
        /// <summary>The depth of the object or array being passed over, or -1.</summary>
        public int SkipDepth = -1;
    }

    /// <summary>Parses what it can of the buffer; returns how many bytes are done with.</summary>
    private static int Scan(ReadOnlySpan<byte> data, bool isFinal, string? arrayProperty, ref ScanState state, List<JsonItem> items)
    {
        var reader = new Utf8JsonReader(data, isFinal, state.Reader);
        // Lines are counted up to each item's start, once per byte.
        var counted = 0;
        var line = state.Line;

        while (true)
        {
            var before = reader.CurrentState;
            var beforeConsumed = (int)reader.BytesConsumed;
            if (state.Phase == Phase.AfterValue)
            {
                // The reader itself refuses a second value or stray characters after the first.
                try
                {
                    if (reader.Read())
                        throw new ImportFormatException("unexpected content after the end of the JSON"); // not reached: Read throws first
                }
                catch (JsonException e)
                {
                    throw new ImportFormatException($"unexpected content after the end of the JSON at {Describe(e)}");
                }
                break;
            }
            if (!reader.Read())
                break;
            if (state.Phase == Phase.InArray)
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    state.Phase = arrayProperty is null ? Phase.AfterValue : Phase.AfterArray;
                    continue;
                }
                // Items are held whole: wait for the rest of an item that the buffer cuts.
                var copy = reader;
                if (!copy.TrySkip())
                {
                    state.Reader = before;
                    state.Line = LineAt(data, ref counted, ref line, beforeConsumed);
                    return beforeConsumed;
                }
                var at = LineAt(data, ref counted, ref line, (int)reader.TokenStartIndex);
                items.Add(new JsonItem(JsonElement.ParseValue(ref reader), at));
                continue;
            }
            if (arrayProperty is null)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new ImportFormatException("the JSON is not an array of items");
                state.Phase = Phase.InArray;
                continue;
            }
            ScanObject(ref reader, arrayProperty, ref state);
        }
        state.Reader = reader.CurrentState;
        state.Line = LineAt(data, ref counted, ref line, (int)reader.BytesConsumed);
        return (int)reader.BytesConsumed;
    }

    private static long LineAt(ReadOnlySpan<byte> data, ref int counted, ref long line, int offset)
    {
        line += data[counted..offset].Count((byte)'\n');
        counted = offset;
        return line;
    }

    /// <summary>
    /// One token of the top-level object outside the array. Other properties' values are passed over token by
    /// token rather than held whole: the scraper writes its request headers first, and they may be large.
    /// </summary>
    private static void ScanObject(ref Utf8JsonReader reader, string arrayProperty, ref ScanState state)
    {
        var token = reader.TokenType;
        if (state.SkipDepth >= 0)
        {
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == state.SkipDepth)
                state.SkipDepth = -1;
            return;
        }
        if (state.SkipValue)
        {
            state.SkipValue = false;
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                state.SkipDepth = reader.CurrentDepth;
            return;
        }
        if (state.ExpectArray)
        {
            if (token != JsonTokenType.StartArray)
                throw new ImportFormatException($"\"{arrayProperty}\" is not an array");
            state.ExpectArray = false;
            state.Phase = Phase.InArray;
            return;
        }
        if (reader.CurrentDepth == 0)
        {
            if (token == JsonTokenType.StartObject)
                return;
            if (token == JsonTokenType.EndObject && state.Phase == Phase.AfterArray)
            {
                state.Phase = Phase.AfterValue;
                return;
            }
            throw new ImportFormatException(token == JsonTokenType.EndObject
                ? $"the JSON holds no \"{arrayProperty}\" array"
                : $"the JSON is not an object with a \"{arrayProperty}\" array");
        }
        // A property of the top-level object: the array's (the first one only), or another to pass over.
        if (state.Phase == Phase.BeforeArray && reader.ValueTextEquals(arrayProperty))
            state.ExpectArray = true;
        else
            state.SkipValue = true;
    }

    private static string Describe(JsonException e) =>
        e.LineNumber is long line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : e.Message;
}
