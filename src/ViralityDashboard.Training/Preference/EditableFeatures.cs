using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Training.Preference;

public enum EditableKind
{
    Number,
    Boolean,
    Category,
}

/// <summary>One analysis key the predictor lets the owner change, with what the model saw of it in training.</summary>
/// <param name="Key">The flattened key (e.g. <c>script.replicability.score</c>); one-hot columns are grouped back under their source key.</param>
/// <param name="Importance">The largest |weight| (ridge) or split-gain importance (trees) among the key's columns.</param>
/// <param name="Min">Numeric: the training minimum.</param>
/// <param name="Max">Numeric: the training maximum.</param>
/// <param name="Categories">Categorical: the training categories.</param>
public sealed record EditableFeature(string Key, EditableKind Kind, double Importance, double? Min, double? Max, IReadOnlyList<string> Categories);

public static class EditableFeatures
{
    /// <summary>The model's most important source keys, most important first.</summary>
    public static IReadOnlyList<EditableFeature> Top(NormalizationConfig config, PreferenceModel model, int count = 12)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        return config.Columns
            .Select((c, i) => (Column: c, Importance: i < model.Importances.Length ? Math.Abs(model.Importances[i]) : 0))
            .GroupBy(c => c.Column.Source, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First().Column;
                var kind = first.Kind switch
                {
                    ColumnKind.Numeric => EditableKind.Number,
                    ColumnKind.Boolean => EditableKind.Boolean,
                    _ => EditableKind.Category,
                };
                return new EditableFeature(g.Key, kind, g.Max(c => c.Importance), first.Numeric?.Min, first.Numeric?.Max,
                    kind == EditableKind.Category ? g.Select(c => c.Column.Category!).ToArray() : []);
            })
            .Where(f => f.Importance > 0)
            .OrderByDescending(f => f.Importance)
            .ThenBy(f => f.Key, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
