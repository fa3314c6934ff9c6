using System.Buffers;
using System.Globalization;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// Writes fields in PostgreSQL's COPY text format (tab-separated, <c>\N</c> for NULL, backslash escapes).
/// The import streams rows this way rather than through Npgsql's binary importer, whose per-value cost was
/// four fifths of the import's time on a million rows; the server parses text in a process that is
/// otherwise idle during the load.
/// </summary>
internal sealed class CopyTextRow(TextWriter writer)
{
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create("\\\t\n\r");
    private static readonly SearchValues<char> NeedsArrayQuoteEscape = SearchValues.Create("\\\"");
    private bool _first = true;

    public void Null() => Separator().Write("\\N");

    public void Text(string? value)
    {
        if (value is null)
            Null();
        else
            Escaped(Separator(), value);
    }

    public void Integer(long value)
    {
        Span<char> buffer = stackalloc char[20];
        value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
        Separator().Write(buffer[..n]);
    }

    public void Integer(long? value)
    {
        if (value is { } v) Integer(v);
        else Null();
    }

    public void Real(double? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Span<char> buffer = stackalloc char[32];
        v.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
        Separator().Write(buffer[..n]);
    }

    public void Boolean(bool? value)
    {
        if (value is { } v) Separator().Write(v ? 't' : 'f');
        else Null();
    }

    public void Timestamp(DateTimeOffset? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }
        Span<char> buffer = stackalloc char[TimestampLength];
        FormatTimestamp(v, buffer);
        Separator().Write(buffer);
    }

    /// <summary>A value formatted once (see <see cref="FormatTimestamp(DateTimeOffset)"/>) for every row.</summary>
    public void Preformatted(string value) => Separator().Write(value);

    public static string FormatTimestamp(DateTimeOffset value) =>
        string.Create(TimestampLength, value, (span, v) => FormatTimestamp(v, span));

    private const int TimestampLength = 29; // yyyy-MM-dd HH:mm:ss.ffffff+00

    /// <summary>
    /// UTC to the microsecond, PostgreSQL's resolution (finer ticks are dropped, as the binary protocol does).
    /// Digits by hand: a format string cost an eighth of a million-row import.
    /// </summary>
    private static void FormatTimestamp(DateTimeOffset value, Span<char> b)
    {
        var t = value.UtcDateTime;
        static void Put(Span<char> b, int at, int digits, int n)
        {
            for (var i = at + digits - 1; i >= at; i--, n /= 10)
                b[i] = (char)('0' + n % 10);
        }
        Put(b, 0, 4, t.Year);
        b[4] = '-';
        Put(b, 5, 2, t.Month);
        b[7] = '-';
        Put(b, 8, 2, t.Day);
        b[10] = ' ';
        Put(b, 11, 2, t.Hour);
        b[13] = ':';
        Put(b, 14, 2, t.Minute);
        b[16] = ':';
        Put(b, 17, 2, t.Second);
        b[19] = '.';
        Put(b, 20, 6, (int)(t.Ticks % TimeSpan.TicksPerSecond / 10));
        b[26] = '+';
        b[27] = '0';
        b[28] = '0';
    }

    /// <summary>A text[] as an array literal, every element quoted (so commas, braces, spaces and "NULL" stay data).</summary>
    public void TextArray(IReadOnlyList<string> values)
    {
        var w = Separator();
        w.Write('{');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
                w.Write(',');
            w.Write('"');
            var element = values[i];
            if (element.AsSpan().ContainsAny(NeedsArrayQuoteEscape))
                element = element.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            Escaped(w, element); // then the COPY layer's own escaping, over the literal
            w.Write('"');
        }
        w.Write('}');
    }

    public void EndRow()
    {
        writer.Write('\n');
        _first = true;
    }

    private TextWriter Separator()
    {
        if (!_first)
            writer.Write('\t');
        _first = false;
        return writer;
    }

    private static void Escaped(TextWriter w, string value)
    {
        var rest = value.AsSpan();
        int at;
        while ((at = rest.IndexOfAny(NeedsEscape)) >= 0)
        {
            w.Write(rest[..at]);
            w.Write(rest[at] switch { '\\' => "\\\\", '\t' => "\\t", '\n' => "\\n", _ => "\\r" });
            rest = rest[(at + 1)..];
        }
        w.Write(rest);
    }
}
