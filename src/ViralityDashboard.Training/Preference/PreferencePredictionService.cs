using ViralityDashboard.Core.Ml;
using System.Text.Json;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Data.Telemetry;
using Microsoft.Extensions.Options;

using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Training.Preference;

/// <summary>A per-dimension score (0–10) from that dimension's model, with its own confidence.</summary>
public sealed record DimensionPrediction(string Dimension, double Score, double Confidence);

/// <summary>Seed 003 §7.2's answer: 0–10 score, confidence, the top factors, and the version that made it.</summary>
/// <param name="Confidence">Feature coverage of the input × the model's test R², clamped to 0–1.</param>
/// <param name="InputsHash">SHA-256 of the canonical flattened input, as logged.</param>
public sealed record PreferencePredictionOutcome(
    string VersionTag,
    string Trainer,
    double Score,
    double Confidence,
    double Coverage,
    double RawOutput,
    double TestR2,
    IReadOnlyList<FactorContribution> TopFactors,
    IReadOnlyList<DimensionPrediction> Dimensions,
    string InputsHash);

/// <summary>
/// A preference version loaded for the Predictor page: its editable features and an in-memory prediction (no I/O,
/// not logged) for recomputing while the owner edits.
/// </summary>
public sealed record PreferenceModelHandle(
    string VersionTag,
    string Trainer,
    IReadOnlyList<EditableFeature> Features,
    Func<IReadOnlyDictionary<string, FeatureValue>, PreferencePredictionOutcome> PredictLive);

/// <summary>What the Predictor page asks of the preference model.</summary>
public interface IPreferencePredictor
{
    /// <summary>Preference versions that can predict (not rejected), newest first.</summary>
    Task<IReadOnlyList<PreferenceVersionRow>> ListVersionsAsync(CancellationToken ct = default);

    /// <param name="versionTag">Null: the active version.</param>
    /// <exception cref="ModelRegistryException">No active preference version, or no such version.</exception>
    Task<PreferenceModelHandle> LoadAsync(string? versionTag, CancellationToken ct = default);

    /// <summary>The explicit "Predict": served and logged in the prediction log.</summary>
    /// <exception cref="InsufficientCoverageException">The analysis carries less than the minimum coverage of the model's features.</exception>
    Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> analysis, string versionTag, CancellationToken ct = default);
}

/// <summary>Preference predictions from the active version (or a named one); each served prediction is logged without waiting.</summary>
public sealed class PreferencePredictionService(PreferenceModelCache cache, PredictionLog log, TimeProvider clock, PreferenceQueries queries, ViralityMetrics metrics, IOptions<PreferenceOptions> options) : IPreferencePredictor
{
    private const int EditableCount = 12;

    public async Task<IReadOnlyList<PreferenceVersionRow>> ListVersionsAsync(CancellationToken ct = default) =>
        (await queries.VersionsAsync(ct)).Where(v => v.Status != VersionStatus.Rejected).ToList();

    public async Task<PreferenceModelHandle> LoadAsync(string? versionTag, CancellationToken ct = default)
    {
        var model = versionTag is null
            ? await cache.GetActiveAsync(ct) ?? throw new ModelRegistryException("No active preference model: train one on the Training page (it needs 200 rated, analyzed videos).")
            : await cache.GetByTagAsync(versionTag, ct);
        return new PreferenceModelHandle(model.VersionTag, PreferenceTrainingService.TrainerName(model.Kind),
            EditableFeatures.Top(model.Normalization, model.Model, EditableCount), input => Predict(model, input, options.Value.MinimumCoverage));
    }

    /// <exception cref="JsonException">The analysis is not valid JSON (the message carries line and position).</exception>
    /// <exception cref="ArgumentException">The analysis is not a JSON object.</exception>
    /// <exception cref="InsufficientCoverageException">It carries less than <see cref="PreferenceOptions.MinimumCoverage"/> of the model's features (not logged).</exception>
    /// <exception cref="ModelRegistryException">No active preference version, or no preference version with that tag.</exception>
    public Task<PreferencePredictionOutcome> PredictAsync(string analysisJson, string? versionTag = null, CancellationToken ct = default) =>
        PredictAsync(AnalysisFlattener.Flatten(analysisJson), versionTag, PredictionSource.Api, ct);

    /// <inheritdoc cref="PredictAsync(string, string?, CancellationToken)"/>
    public Task<PreferencePredictionOutcome> PredictAsync(JsonElement analysis, string? versionTag = null, CancellationToken ct = default) =>
        PredictAsync(analysis, versionTag, PredictionSource.Api, ct);

    /// <inheritdoc cref="PredictAsync(string, string?, CancellationToken)"/>
    public Task<PreferencePredictionOutcome> PredictAsync(JsonElement analysis, string? versionTag, PredictionSource source, CancellationToken ct = default) =>
        PredictAsync(AnalysisFlattener.Flatten(analysis), versionTag, source, ct);

    /// <summary>The Predictor page's explicit "Predict" (the interface's caller): logged as from the page.</summary>
    public Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> flattened, string? versionTag = null, CancellationToken ct = default) =>
        PredictAsync(flattened, versionTag, PredictionSource.Page, ct);

    public async Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> flattened, string? versionTag, PredictionSource source, CancellationToken ct = default)
    {
        var model = versionTag is null
            ? await cache.GetActiveAsync(ct) ?? throw new ModelRegistryException("No active preference model: run `train --kind preference` first (it needs 200 rated, analyzed videos).")
            : await cache.GetByTagAsync(versionTag, ct);
        var outcome = Predict(model, flattened, options.Value.MinimumCoverage);
        metrics.RecordPrediction(ModelKind.Preference.Wire());
        var now = clock.GetUtcNow();
        log.TryEnqueue(new PredictionLogEntry
        {
            ModelVersionId = model.VersionId,
            Kind = ModelKind.Preference,
            Source = source,
            InputsHash = outcome.InputsHash,
            Score = outcome.Score,
            ServedAt = now,
            ObservedAt = now,
        });
        return outcome;
    }

    /// <summary>The in-memory part, no I/O and no logging.</summary>
    /// <exception cref="InsufficientCoverageException">The input carries less than <paramref name="minimumCoverage"/> of the model's features.</exception>
    public static PreferencePredictionOutcome Predict(LoadedPreferenceModel model, IReadOnlyDictionary<string, FeatureValue> flattened, double minimumCoverage = FeatureTyping.MinimumCoverage)
    {
        PreferencePredictor.RequireCoverage(model.Normalization, flattened, minimumCoverage);
        var p = PreferencePredictor.Predict(model.Normalization, model.Model, model.Metrics.Test.R2, flattened);
        var dimensions = model.Dimensions
            .Select(d =>
            {
                var dp = PreferencePredictor.Predict(d.Normalization, d.Model, d.TestR2, flattened);
                return new DimensionPrediction(d.Dimension, dp.Score, dp.Confidence);
            })
            .ToArray();
        return new PreferencePredictionOutcome(model.VersionTag, PreferenceTrainingService.TrainerName(model.Kind), p.Score, p.Confidence, p.Coverage,
            p.RawOutput, model.Metrics.Test.R2, p.TopFactors, dimensions, InputsHash.Of(flattened));
    }
}
