using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Training;

/// <summary>How run results, metrics and weights are written into jsonb columns.</summary>
public static class TrainingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
