using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// Streams the items of a JSON array, either the whole document (<c>[...]</c>) or the array under a named
/// property of the top-level object (<c>{"collector": [...]}</c>), holding one item in memory at a time.
/// </summary>
internal static class JsonItemStream
{
    private const int InitialBuffer = 64 * 1024;

    public static async IAsyncEnumerable<JsonElement> ReadAsync(Stream stream, string? arrayProperty, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[InitialBuffer];
        int length = 0;
        var scan = new ScanState(new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }));
        var items = new List<JsonElement>();
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
                throw new ImportFormatException($"item {index + items.Count}: the JSON ends unexpectedly (truncated file?) at {Describe(e)}");
            }
            catch (JsonException e)
            {
                throw new ImportFormatException($"item {index + items.Count}: the JSON is malformed at {Describe(e)}");
            }
            foreach (var item in items)
            {
                yield return item;
                index++;
            }
            items.Clear();
            if (scan.Phase == Phase.Done)
                yield break;
            if (endOfStream && consumed == length)
            {
                throw new ImportFormatException(scan.Phase == Phase.BeforeArray
                    ? arrayProperty is null ? "the JSON holds no array of items" : $"the JSON holds no \"{arrayProperty}\" array"
                    : $"the JSON ends after item {index - 1} without closing its array (truncated file?)");
            }
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
        }
    }

    private enum Phase { BeforeArray, InArray, Done }

    private struct ScanState(JsonReaderState reader)
    {
        public JsonReaderState Reader = reader;
        public Phase Phase = Phase.BeforeArray;
        public bool ExpectArray;
    }

    /// <summary>Parses what it can of the buffer; returns how many bytes are done with.</summary>
    private static int Scan(ReadOnlySpan<byte> data, bool isFinal, string? arrayProperty, ref ScanState state, List<JsonElement> items)
    {
        var reader = new Utf8JsonReader(data, isFinal, state.Reader);
        while (state.Phase != Phase.Done)
        {
            var before = reader.CurrentState;
            var beforeConsumed = (int)reader.BytesConsumed;
            if (!reader.Read())
            {
                state.Reader = reader.CurrentState;
                return (int)reader.BytesConsumed;
            }
            if (state.Phase == Phase.BeforeArray)
            {
                if (arrayProperty is null)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw new ImportFormatException("the JSON is not an array of items");
                    state.Phase = Phase.InArray;
                }
                else if (reader.CurrentDepth == 0 && reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ImportFormatException($"the JSON is not an object with a \"{arrayProperty}\" array");
                }
                else if (state.ExpectArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw new ImportFormatException($"\"{arrayProperty}\" is not an array");
                    state.Phase = Phase.InArray;
                }
                else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    state.ExpectArray = reader.ValueTextEquals(arrayProperty);
                    if (!state.ExpectArray)
                    {
                        // Skip the other property's value whole, or wait for more data.
                        var probe = reader;
                        if (!probe.TrySkip())
                        {
                            state.Reader = before;
                            return beforeConsumed;
                        }
                        reader.Skip();
                    }
                }
                continue;
            }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                state.Phase = Phase.Done;
                break;
            }
            var copy = reader;
            if (!copy.TrySkip())
            {
                state.Reader = before; // the item is incomplete: start from it when more data arrives
                return beforeConsumed;
            }
            items.Add(JsonElement.ParseValue(ref reader));
        }
        state.Reader = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private static string Describe(JsonException e) =>
        e.LineNumber is long line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : e.Message;
}
