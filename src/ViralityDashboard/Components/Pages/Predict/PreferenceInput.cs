using System.Text.Json;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Predict;

/// <summary>
/// The preference predictor's state: the analysis JSON as typed or loaded, its flattened form with the owner's
/// edits, the loaded version and the last outcome. Edits recompute in memory (<see cref="PreferenceModelHandle.PredictLive"/>);
/// only the page's explicit Predict goes through the logged service.
/// </summary>
public sealed class PreferenceInput
{
    private Dictionary<string, FeatureValue>? _values;
    private string? _parsedJson;

    /// <summary>The JSON in the text box.</summary>
    public string Json { get; set; } = "";

    /// <summary>Where the analysis came from ("video 7301…" or "pasted JSON").</summary>
    public string? Source { get; private set; }

    public string? Error { get; private set; }
    public PreferenceModelHandle? Model { get; set; }
    public PreferencePredictionOutcome? Outcome { get; private set; }

    /// <summary>The outcome was recomputed from edits in memory (not logged).</summary>
    public bool Live { get; private set; }

    public IReadOnlyDictionary<string, FeatureValue>? Values => _values;

    public void Load(string json, string source)
    {
        Json = json;
        Source = source;
        _parsedJson = null;
    }

    /// <summary>Parses <see cref="Json"/> unless it is what was parsed last (then the edits are kept). False with <see cref="Error"/> set on bad JSON.</summary>
    public bool Parse()
    {
        if (_values is not null && _parsedJson == Json)
            return true;
        Error = null;
        if (string.IsNullOrWhiteSpace(Json))
        {
            Error = "Paste an analysis JSON or pick an analyzed video first.";
            return false;
        }
        try
        {
            _values = new Dictionary<string, FeatureValue>(AnalysisFlattener.Flatten(Json), StringComparer.Ordinal);
            _parsedJson = Json;
            Source ??= "pasted JSON";
            return true;
        }
        catch (JsonException e)
        {
            Error = $"The analysis is not valid JSON: line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message.Split(" LineNumber:")[0].Split(" Path:")[0]}";
        }
        catch (ArgumentException e)
        {
            Error = e.Message.Split(" (Parameter")[0];
        }
        _values = null;
        Outcome = null;
        return false;
    }

    /// <summary>The model refused the input (too few of its features): say why instead of a score.</summary>
    public void Refused(string reason)
    {
        Error = reason;
        Outcome = null;
    }

    public void Served(PreferencePredictionOutcome outcome)
    {
        Outcome = outcome;
        Live = false;
    }

    public FeatureValue ValueOf(string key) => _values is null ? FeatureValue.Null : FeatureTyping.ValueOf(_values, key);

    /// <summary>An edit: null removes the key (missing); the score follows at once, in memory.</summary>
    public void Set(string key, FeatureValue? value)
    {
        if (_values is null)
            return;
        if (value is { } v)
            _values[key] = v;
        else
            _values.Remove(key);
        Recompute();
    }

    /// <summary>In memory, not logged: after an edit or a change of version.</summary>
    public void Recompute()
    {
        if (_values is null || Model is null)
            return;
        try
        {
            Outcome = Model.PredictLive(_values);
            Error = null;
            Live = true;
        }
        catch (InsufficientCoverageException e)
        {
            Refused(e.Message);
        }
    }
}
