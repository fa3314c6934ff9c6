using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Data.Queries;

/// <summary>Reads the jsonb columns (metrics, timings, weights) into typed records.</summary>
public static class StoredJson
{
    /// <summary>As the Training project writes them (TrainingJson): web defaults, other enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Stored JSON that does not fit (an older shape) reads as missing rather than breaking a page.</summary>
    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json == "{}")
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
