namespace ViralityDashboard.Data.Queries;

/// <summary>
/// A search box's text, parsed once for the Rate and Data pages: <c>@name</c> looks for the author's videos (handles
/// starting with <c>name</c>; handles are stored without the @, so the raw text matched nothing), anything else is
/// matched as a substring, with LIKE's wildcards escaped.
/// </summary>
public sealed record TextSearch(string Text, string Like, bool HandleOnly)
{
    /// <summary>
    /// Pass to <c>EF.Functions.ILike</c>: without an escape character Npgsql writes <c>ESCAPE ''</c>, so the
    /// backslashes below were literal and a handle with an underscore (most of them) matched nothing.
    /// </summary>
    public const string EscapeCharacter = "\\";

    public static TextSearch? Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return null;
        var text = filter.Trim();
        if (text.StartsWith('@') && text.Length > 1)
        {
            var handle = text[1..];
            return new TextSearch(handle, Escape(handle) + "%", HandleOnly: true);
        }
        return new TextSearch(text, $"%{Escape(text)}%", HandleOnly: false);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
