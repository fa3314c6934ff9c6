using System.Text.Json;
using System.Text.Json.Nodes;

namespace ViralityDashboard.Core.Preference;

/// <summary>
/// Flattens a nested visual analysis (seed 003 §3.1) into dot keys: objects recurse, arrays become
/// <c>key_count</c>, <c>key_empty</c> and, when every element is a string, one <c>key_has_value</c>
/// flag per element; numbers, booleans, strings and nulls are leaves.
/// </summary>
public static class AnalysisFlattener
{
    public const int MaxSanitizedLength = 30;

    public static IReadOnlyDictionary<string, FeatureValue> Flatten(string analysisJson)
    {
        ArgumentNullException.ThrowIfNull(analysisJson);
        using var document = JsonDocument.Parse(analysisJson);
        return Flatten(document.RootElement);
    }

    public static IReadOnlyDictionary<string, FeatureValue> Flatten(JsonNode analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return Flatten(JsonSerializer.SerializeToElement(analysis));
    }

    public static IReadOnlyDictionary<string, FeatureValue> Flatten(JsonElement analysis)
    {
        if (analysis.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"An analysis must be a JSON object, not {analysis.ValueKind}.", nameof(analysis));

        var flattened = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        FlattenObject(analysis, prefix: null, flattened);
        return flattened;
    }

    public static int CountFeatures(string analysisJson) => Flatten(analysisJson).Count;

    public static int CountFeatures(JsonElement analysis) => Flatten(analysis).Count;

    /// <summary>
    /// The seed's <c>sanitize</c>: lower-case, anything but a–z and 0–9 becomes '_', at most 30 characters.
    /// Like the JavaScript original it works per UTF-16 code unit, so "é" is one '_' and an emoji two.
    /// </summary>
    public static string Sanitize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Math.Min(value.Length, MaxSanitizedLength);
        return string.Create(length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                // Lower-casing first lets e.g. the Kelvin sign (U+212A) become 'k', as toLowerCase() does.
                var c = char.ToLowerInvariant(source[i]);
                span[i] = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '_';
            }
        });
    }

    private static void FlattenObject(JsonElement obj, string? prefix, Dictionary<string, FeatureValue> flattened)
    {
        foreach (var property in obj.EnumerateObject())
        {
            var key = prefix is null ? property.Name : string.Concat(prefix, ".", property.Name);
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    FlattenObject(value, key, flattened);
                    break;
                case JsonValueKind.Array:
                    FlattenArray(value, key, flattened);
                    break;
                case JsonValueKind.Number:
                    flattened[key] = FeatureValue.FromNumber(value.GetDouble());
                    break;
                case JsonValueKind.True:
                    flattened[key] = FeatureValue.FromBoolean(true);
                    break;
                case JsonValueKind.False:
                    flattened[key] = FeatureValue.FromBoolean(false);
                    break;
                case JsonValueKind.String:
                    flattened[key] = FeatureValue.FromString(value.GetString()!);
                    break;
                default:
                    flattened[key] = FeatureValue.Null;
                    break;
            }
        }
    }

    private static void FlattenArray(JsonElement array, string key, Dictionary<string, FeatureValue> flattened)
    {
        var length = array.GetArrayLength();
        flattened[key + "_count"] = FeatureValue.FromNumber(length);
        flattened[key + "_empty"] = FeatureValue.FromBoolean(length == 0);

        // Only arrays made entirely of strings get presence flags; arrays of objects or mixed
        // values are summarised by their count alone, as in the seed.
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                return;
        }

        foreach (var item in array.EnumerateArray())
            flattened[key + "_has_" + Sanitize(item.GetString()!)] = FeatureValue.FromBoolean(true);
    }
}
