using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Engagement;

/// <summary>A feature set travels (job data, requests) as its name, the one the CLI and API take.</summary>
public sealed class FeatureSetNameConverter : JsonConverter<FeatureSet>
{
    public override FeatureSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Named(reader.GetString(), FeatureSet.FromName);

    public override void Write(Utf8JsonWriter writer, FeatureSet value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);

    internal static T Named<T>(string? name, Func<string, T> fromName)
    {
        try
        {
            return fromName(name ?? "");
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }
}

/// <summary>A tier scheme travels (job data, requests) as its name, the one the CLI and API take.</summary>
public sealed class TierSchemeNameConverter : JsonConverter<TierScheme>
{
    public override TierScheme Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FeatureSetNameConverter.Named(reader.GetString(), TierScheme.FromName);

    public override void Write(Utf8JsonWriter writer, TierScheme value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
