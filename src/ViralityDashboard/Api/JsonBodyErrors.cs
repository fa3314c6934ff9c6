using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace ViralityDashboard.Api;

/// <summary>
/// Words a <see cref="JsonException"/> from reading a request body for the caller: the field by its JSON name and
/// what it must be. The serializer's own messages name .NET types (<c>ViralityDashboard.Api.PredictRequest</c>,
/// <c>IReadOnlyList`1</c>), which say nothing to a script's author and something to an attacker.
/// </summary>
internal static partial class JsonBodyErrors
{
    public static (string Field, string Message) Describe(JsonException e, JsonTypeInfo body)
    {
        var name = TopLevelName(e.Path);
        var property = name is null ? null : body.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var field = property?.Name ?? name ?? "body";
        // The reader's messages (malformed JSON) name no type; they say what is wrong and where.
        if (e.InnerException is JsonException reader)
            return (field, $"The body is not valid JSON: {FirstSentence(reader.Message)} (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        // System.Text.Json has no type or code for a repeated key, only this message (its messages are not localized).
        if (DuplicateKey().Match(e.Message) is { Success: true } duplicate)
            return (field, string.Equals(duplicate.Groups[1].Value, field, StringComparison.OrdinalIgnoreCase)
                ? $"'{field}' appears more than once."
                : $"'{field}' has the key '{duplicate.Groups[1].Value}' more than once.");
        if (name is null)
            return ("body", "The body must be a JSON object.");
        return (field, property is null ? $"'{field}' is not a value of the right kind." : $"'{field}' must be {Expected(property.PropertyType)}.");
    }

    /// <summary>The first property of a path such as <c>$.hashtags[0]</c> or <c>$['odd key']</c>; null at the root.</summary>
    private static string? TopLevelName(string? path)
    {
        if (path is null || path.Length < 3)
            return null;
        if (path.StartsWith("$['", StringComparison.Ordinal))
            return path.IndexOf("']", 3, StringComparison.Ordinal) is var close and > 3 ? path[3..close] : null;
        if (!path.StartsWith("$.", StringComparison.Ordinal))
            return null;
        var end = path.IndexOfAny(['.', '['], 2);
        return end < 0 ? path[2..] : path[2..end];
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(ulong) || type == typeof(uint))
            return "a whole number";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return "a finite number";
        if (type == typeof(bool))
            return "true or false";
        if (type == typeof(string))
            return "a string";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            return "a date and time such as 2025-02-12T14:57:40Z";
        if (type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type))
            return "a list of strings";
        return "a JSON object";
    }

    private static string FirstSentence(string message) => message.Split(" Path:")[0].Split(" LineNumber:")[0];

    [GeneratedRegex("^Duplicate property '([^']*)'")]
    private static partial Regex DuplicateKey();
}
