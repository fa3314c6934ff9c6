using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// An engagement prediction's inputs as <c>prediction_log</c> keeps them: the features as a JSON object (name → value, in
/// the set's order) and their canonical hash, the same as <see cref="Core.Preference.InputsHash.Of(IReadOnlyDictionary{string, float})"/>.
/// Served predictions and the scoring job both log through here; the scoring job does it for 100,000s of videos, so the
/// names are encoded once per feature set and each row costs one buffer and one SHA-256, not a dictionary and a serializer.
/// </summary>
public sealed class EngagementInputs
{
    private static readonly ConcurrentDictionary<string, EngagementInputs> BySet = new();

    private readonly JsonEncodedText[] _names;
    private readonly int[] _ordinal;
    private readonly byte[][] _hashKeys;

    private EngagementInputs(IReadOnlyList<string> names)
    {
        _names = names.Select(n => JsonEncodedText.Encode(n)).ToArray();
        _ordinal = Enumerable.Range(0, names.Count).OrderBy(i => names[i], StringComparer.Ordinal).ToArray();
        _hashKeys = names.Select(n => Encoding.UTF8.GetBytes(n + "\u001f")).ToArray();
    }

    public static EngagementInputs For(FeatureSet set) => BySet.GetOrAdd(set.Name, _ => new EngagementInputs(set.FeatureNames));

    /// <summary>The hash (lower-case hex SHA-256) and JSON of <paramref name="values"/>, in the set's feature order.</summary>
    public (string Hash, string Json) Of(ReadOnlySpan<float> values)
    {
        if (values.Length != _names.Length)
            throw new ArgumentException($"Expected {_names.Length} feature values, got {values.Length}.", nameof(values));
        var buffer = new ArrayBufferWriter<byte>(64 * _names.Length);
        // Canonical form: names in ordinal order, each "name␟value␞" with the value as invariant round-trip text.
        foreach (var i in _ordinal)
        {
            buffer.Write(_hashKeys[i]);
            var span = buffer.GetSpan(32);
            if (!values[i].TryFormat(span, out var written, "R", CultureInfo.InvariantCulture))
                throw new InvalidOperationException("A float did not fit 32 bytes.");
            buffer.Advance(written);
            buffer.Write("\u001e"u8);
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var i = 0; i < _names.Length; i++)
                json.WriteNumber(_names[i], values[i]);
            json.WriteEndObject();
        }
        return (Convert.ToHexStringLower(hash), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
