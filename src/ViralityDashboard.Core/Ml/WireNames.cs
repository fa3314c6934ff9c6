using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

/// <summary>
/// The names an enum has outside the process (CLI, API, job data, database columns): its members'
/// <see cref="JsonStringEnumMemberNameAttribute"/>, so JSON, EF value converters and parsers share one list.
/// </summary>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, (string[] Names, object[] Values)> Cache = new();

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> Of<T>() where T : struct, Enum => Table(typeof(T)).Names;

    /// <summary>The name this value is written with.</summary>
    public static string Wire<T>(this T value) where T : struct, Enum
    {
        var (names, values) = Table(typeof(T));
        for (var i = 0; i < values.Length; i++)
            if (((T)values[i]).Equals(value))
                return names[i];
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no member {value}.");
    }

    /// <summary>Case-insensitive, as the string parsers it replaces were.</summary>
    public static bool TryParse<T>(string? name, out T value) where T : struct, Enum
    {
        var (names, values) = Table(typeof(T));
        for (var i = 0; i < names.Length; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                value = (T)values[i];
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>For values already validated where they entered (stored columns, validated options).</summary>
    public static T Parse<T>(string name) where T : struct, Enum =>
        TryParse<T>(name, out var value) ? value
            : throw new ArgumentException($"Unknown {typeof(T).Name} '{name}'. Known: {string.Join(", ", Of<T>())}.", nameof(name));

    private static (string[] Names, object[] Values) Table(Type type) => Cache.GetOrAdd(type, t =>
    {
        var fields = t.GetFields(BindingFlags.Public | BindingFlags.Static);
        return (fields.Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{t.Name}.{f.Name} has no wire name.")).ToArray(),
                fields.Select(f => f.GetValue(null)!).ToArray());
    });
}

/// <summary>Writes an enum as its camelCase member name, ignoring its wire names (for JSON stored before they existed).</summary>
public sealed class MemberNameEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Enum.TryParse<T>(reader.GetString(), ignoreCase: true, out var value) ? value : throw new JsonException($"Unknown {typeof(T).Name} '{reader.GetString()}'.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
}
