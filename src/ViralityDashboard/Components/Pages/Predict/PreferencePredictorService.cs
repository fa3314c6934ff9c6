using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Predict;

/// <summary>
/// A preference version loaded for the page: its editable features and an in-memory prediction (no I/O, not
/// logged) for recomputing while the owner edits.
/// </summary>
public sealed record PreferenceModelHandle(
    string VersionTag,
    string Trainer,
    IReadOnlyList<EditableFeature> Features,
    Func<IReadOnlyDictionary<string, FeatureValue>, PreferencePredictionOutcome> PredictLive);

/// <summary>What the preference predictor needs from the training side, behind an interface so bUnit can fake it.</summary>
public interface IPreferencePredictor
{
    /// <summary>Preference versions that can predict (not rejected), newest first.</summary>
    Task<IReadOnlyList<PreferenceVersionRow>> ListVersionsAsync(CancellationToken ct = default);

    /// <param name="versionTag">Null: the active version.</param>
    /// <exception cref="ModelRegistryException">No active preference version, or no such version.</exception>
    Task<PreferenceModelHandle> LoadAsync(string? versionTag, CancellationToken ct = default);

    /// <summary>The explicit "Predict": served and logged in the prediction log.</summary>
    Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> analysis, string versionTag, CancellationToken ct = default);

    Task<IReadOnlyList<AnalyzedVideoChoice>> SearchAnalyzedAsync(string? text, int limit, CancellationToken ct = default);

    /// <summary>The video's stored analysis JSON, or null.</summary>
    Task<string?> AnalysisAsync(long videoId, CancellationToken ct = default);
}

public sealed class PreferencePredictorAdapter(PreferenceQueries queries, PreferenceModelCache models, PreferencePredictionService predictions) : IPreferencePredictor
{
    public const int EditableCount = 12;

    public async Task<IReadOnlyList<PreferenceVersionRow>> ListVersionsAsync(CancellationToken ct = default) =>
        (await queries.VersionsAsync(ct)).Where(v => v.Status != VersionStatus.Rejected).ToList();

    public async Task<PreferenceModelHandle> LoadAsync(string? versionTag, CancellationToken ct = default)
    {
        var model = versionTag is null
            ? await models.GetActiveAsync(ct) ?? throw new ModelRegistryException("No active preference model: train one on the Training page (it needs 200 rated, analyzed videos).")
            : await models.GetByTagAsync(versionTag, ct);
        return new PreferenceModelHandle(model.VersionTag, PreferenceTrainingService.TrainerName(model.Kind),
            EditableFeatures.Top(model.Normalization, model.Model, EditableCount), input => PreferencePredictionService.Predict(model, input));
    }

    public Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> analysis, string versionTag, CancellationToken ct = default) =>
        predictions.PredictAsync(analysis, versionTag, ct);

    public Task<IReadOnlyList<AnalyzedVideoChoice>> SearchAnalyzedAsync(string? text, int limit, CancellationToken ct = default) =>
        queries.SearchAnalyzedAsync(text, limit, ct);

    public Task<string?> AnalysisAsync(long videoId, CancellationToken ct = default) => queries.AnalysisAsync(videoId, ct);
}
