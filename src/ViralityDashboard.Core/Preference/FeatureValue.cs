using System.Globalization;

namespace ViralityDashboard.Core.Preference;

public enum FeatureValueKind
{
    Null,
    Number,
    Boolean,
    String,
}

/// <summary>
/// One leaf of a flattened analysis: a JSON number, boolean, string or null.
/// A small value type so that flattening hundreds of analyses does not box every number.
/// </summary>
public readonly record struct FeatureValue
{
    private FeatureValue(FeatureValueKind kind, double number, bool boolean, string? text)
    {
        Kind = kind;
        Number = number;
        Boolean = boolean;
        Text = text;
    }

    public FeatureValueKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FeatureValueKind.Number"/>, else 0.</summary>
    public double Number { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FeatureValueKind.Boolean"/>, else false.</summary>
    public bool Boolean { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FeatureValueKind.String"/>, else null.</summary>
    public string? Text { get; }

    public bool IsNull => Kind == FeatureValueKind.Null;

    public static FeatureValue Null => default;

    public static FeatureValue FromNumber(double value) => new(FeatureValueKind.Number, value, false, null);

    public static FeatureValue FromBoolean(bool value) => new(FeatureValueKind.Boolean, 0, value, null);

    public static FeatureValue FromString(string value) =>
        new(FeatureValueKind.String, 0, false, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>Numbers as they are, booleans as 1 or 0; strings and nulls have no numeric reading.</summary>
    public double? AsNumber() => Kind switch
    {
        FeatureValueKind.Number => Number,
        FeatureValueKind.Boolean => Boolean ? 1 : 0,
        _ => null,
    };

    public override string ToString() => Kind switch
    {
        FeatureValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        FeatureValueKind.Boolean => Boolean ? "true" : "false",
        FeatureValueKind.String => Text!,
        _ => "null",
    };
}
