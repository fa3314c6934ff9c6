using System.Security.Cryptography;
using System.Text;

namespace ViralityDashboard.Core.Preference;

/// <summary>
/// SHA-256 of a flattened analysis in a canonical form (keys in ordinal order, each with its value kind and
/// invariant text), so the same analysis hashes alike whatever its key order or JSON whitespace. The
/// prediction log stores it to join served predictions with the ratings that arrive later.
/// </summary>
public static class InputsHash
{
    public static string Of(IReadOnlyDictionary<string, FeatureValue> flattened)
    {
        ArgumentNullException.ThrowIfNull(flattened);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in flattened.Keys.Order(StringComparer.Ordinal))
        {
            var value = flattened[key];
            // Unit and record separators cannot occur in JSON keys without escaping, so entries never run together.
            sha.AppendData(Encoding.UTF8.GetBytes($"{key}\u001f{(int)value.Kind}\u001f{value}\u001e"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The same idea for an engagement prediction's named feature values: names in ordinal order, values as invariant
    /// round-trip text, so equal inputs hash alike whatever order they were listed in.
    /// </summary>
    public static string Of(IReadOnlyDictionary<string, float> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in features.Keys.Order(StringComparer.Ordinal))
            sha.AppendData(Encoding.UTF8.GetBytes($"{key}\u001f{features[key].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\u001e"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
