using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// Passes a text file's bytes through and notes the lines that hold bytes which are not UTF-8. A decoder turns
/// those into U+FFFD without a word; the CSV reader asks this, for each row, whether any of its lines had one,
/// and rejects that row. Lines are counted by '\n', as the CSV parser counts them for "\n" and "\r\n" files.
/// </summary>
/// <param name="firstOffset">The offset in the file of the first byte read (after a byte order mark, 3).</param>
internal sealed class Utf8LineCheck(Stream inner, long firstOffset = 0) : ForwardReadStream
{
    /// <summary>Each line that held invalid bytes, with the file offset of its first one.</summary>
    private readonly Queue<(long Line, long Offset)> _invalidLines = new();
    private long _offset = firstOffset; // of the next byte checked
    private readonly byte[] _tail = new byte[3]; // an incomplete character cut by the previous read
    private int _tailLength;
    private long _line = 1;
    private long _lastInvalidLine;

    /// <summary>The first line, from <paramref name="firstLine"/> to <paramref name="lastLine"/>, that held invalid bytes, and where the first of them is.</summary>
    public (long Line, long Offset)? InvalidLineBetween(long firstLine, long lastLine)
    {
        while (_invalidLines.TryPeek(out var bad) && bad.Line < firstLine)
            _invalidLines.Dequeue();
        return _invalidLines.TryPeek(out var first) && first.Line <= lastLine ? first : null;
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            _tail.AsSpan(0, _tailLength).CopyTo(buffer);
            var read = inner.Read(buffer[_tailLength..]);
            var filled = _tailLength + read;
            // A buffer of at least 4 bytes (StreamReader's are kilobytes) always gets a complete character; at the end, all of it.
            var keep = read == 0 ? 0 : IncompleteTail(buffer[..filled]);
            _tailLength = keep;
            buffer.Slice(filled - keep, keep).CopyTo(_tail);
            Check(buffer[..(filled - keep)]);
            if (filled - keep > 0 || read == 0)
                return filled - keep;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (true)
        {
            _tail.AsMemory(0, _tailLength).CopyTo(buffer);
            var read = await inner.ReadAsync(buffer[_tailLength..], ct);
            var filled = _tailLength + read;
            var keep = read == 0 ? 0 : IncompleteTail(buffer.Span[..filled]);
            _tailLength = keep;
            buffer.Span.Slice(filled - keep, keep).CopyTo(_tail);
            Check(buffer.Span[..(filled - keep)]);
            if (filled - keep > 0 || read == 0)
                return filled - keep;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>How many bytes at the end start a character that the next read completes.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> data)
    {
        for (var i = 1; i <= Math.Min(3, data.Length); i++)
        {
            var b = data[^i];
            if ((b & 0xC0) == 0x80)
                continue; // a continuation byte: look further back for the lead byte
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > i ? i : 0;
        }
        return 0;
    }

    private void Check(ReadOnlySpan<byte> data)
    {
        if (Utf8.IsValid(data))
        {
            _line += data.Count((byte)'\n');
            _offset += data.Length;
            return;
        }
        // Rare: find the lines character by character.
        while (!data.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(data, out _, out var used) != OperationStatus.Done && _lastInvalidLine != _line)
                _invalidLines.Enqueue((_lastInvalidLine = _line, _offset));
            if (data[0] == (byte)'\n')
                _line++;
            data = data[used..];
            _offset += used;
        }
    }
}
