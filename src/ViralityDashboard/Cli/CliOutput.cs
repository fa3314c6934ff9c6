using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Cli;

/// <summary>With --json a verb's last line of output is one JSON object; scripts read that line.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));
}
