using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Training.Engagement;

/// <summary>A prediction with the version that made it and the features it saw.</summary>
/// <param name="Explanation">What <paramref name="Contributions"/> add up to; null with <paramref name="NoExplanationReason"/> when the model cannot be explained.</param>
/// <param name="Age">For a model that reads the video's age: the age it was given and the ages it was trained on; else null.</param>
public sealed record PredictionOutcome(
    string VersionTag, string FeatureSet, int Tier, IReadOnlyList<float> Probabilities, double Score,
    IReadOnlyList<FeatureContribution> Contributions, IReadOnlyDictionary<string, float> Features,
    TierExplanation? Explanation = null, string? NoExplanationReason = null, TrainerKind? Trainer = null, AgeReport? Age = null);

/// <summary>The age a prediction was made at, against the ages its model was trained on.</summary>
/// <param name="Hours">Hours since posting (since first seen when the posting time is unknown) the features saw; null when unknown (read as 0).</param>
/// <param name="Trained">The version's training rows (mode, youngest, median and oldest observation age); null for versions that did not store them.</param>
/// <param name="TrainedFor">The trained ages in words; null with <paramref name="Trained"/>.</param>
/// <param name="Warning">Set when <paramref name="Hours"/> lies outside the trained ages.</param>
public sealed record AgeReport(double? Hours, RowsReport? Trained, string? TrainedFor, string? Warning);

/// <summary>What the Predictor page asks of the engagement model.</summary>
public interface IEngagementPredictor
{
    /// <summary>Versions that can predict (not rejected), newest first.</summary>
    Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default);

    /// <exception cref="ModelRegistryException">No active version, or no such version.</exception>
    Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default);

    /// <summary>With <paramref name="featureSet"/>, only a version of that set predicts (the active one of it, or the named one).</summary>
    /// <exception cref="ModelRegistryException">No active version of that set, no such version, or a version of another set.</exception>
    Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, string? featureSet, CancellationToken ct = default);
}

/// <summary>
/// Tier probabilities, 0–100 score and contributions from the active model or a named version. Every prediction is
/// queued for <c>prediction_log</c> with who asked (the interface's callers are the Predictor page).
/// </summary>
public sealed class PredictionService(ActiveModelCache cache, ModelRegistryStore store, ViralityMetrics metrics, PredictionLog log, TimeProvider clock) : IEngagementPredictor
{
    public async Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default) =>
        (await store.ListAsync(TrainingRequest.Kind, ct)).Where(v => v.Status != VersionStatus.Rejected).OrderByDescending(v => v.TrainedAt).ToList();

    /// <exception cref="ModelRegistryException">No active version, or no version with that tag.</exception>
    public Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag = null, CancellationToken ct = default) =>
        PredictAsync(video, versionTag, null, ct);

    /// <exception cref="ModelRegistryException">No active version (of that set), no version with that tag, or one of another set.</exception>
    public Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, string? featureSet, CancellationToken ct = default) =>
        PredictAsync(video, versionTag, featureSet, PredictionSource.Page, null, ct);

    /// <summary>As the page's overload, logged with <paramref name="source"/>; <paramref name="platformVideoId"/> names the scraped video the inputs came from, if any.</summary>
    /// <exception cref="ModelRegistryException">No active version (of that set), no version with that tag, or one of another set.</exception>
    public async Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, string? featureSet, PredictionSource source, string? platformVideoId,
        CancellationToken ct = default)
    {
        if (featureSet is not null && !FeatureSet.BuiltIn.Any(f => f.Name == featureSet))
            throw new ArgumentException($"Unknown feature set '{featureSet}'. Known: {string.Join(", ", FeatureSet.BuiltIn.Select(f => f.Name))}.", nameof(featureSet));
        var model = versionTag is null
            ? await cache.GetActiveAsync(featureSet, ct) ?? throw new ModelRegistryException(NoActiveMessage(featureSet))
            : await cache.GetByTagAsync(versionTag, ct);
        // A pre-posting question answered by a model that reads views would score numbers the video does not have yet.
        if (featureSet is not null && model.FeatureSet.Name != featureSet)
            throw new ModelRegistryException($"Version '{model.VersionTag}' uses feature set {model.FeatureSet.Name}, not {featureSet}.");
        var outcome = Predict(model, video);
        metrics.RecordPrediction(TrainingRequest.Kind.Wire());
        log.TryEnqueue(LogEntry(model.VersionId, outcome, source, clock.GetUtcNow()), platformVideoId);
        return outcome;
    }

    /// <summary>The log row of a served prediction: observed when served.</summary>
    public static PredictionLogEntry LogEntry(long versionId, PredictionOutcome outcome, PredictionSource source, DateTimeOffset now)
    {
        var set = FeatureSet.FromName(outcome.FeatureSet);
        var (hash, json) = EngagementInputs.For(set).Of(set.FeatureNames.Select(n => outcome.Features[n]).ToArray());
        return new()
        {
            ModelVersionId = versionId,
            Kind = TrainingRequest.Kind,
            Source = source,
            FeatureSet = outcome.FeatureSet,
            InputsHash = hash,
            Features = json,
            Probabilities = outcome.Probabilities.ToArray(),
            PredictedTier = (short)outcome.Tier,
            Score = outcome.Score,
            ServedAt = now,
            ObservedAt = now,
        };
    }

    public static string NoActiveMessage(string? featureSet) => featureSet switch
    {
        null => "No active engagement model: run `train` first.",
        FeatureSet.PrePostingName => "No active pre-posting model: a prediction before posting uses only a pre-posting version. Retrain with the pre-posting features (`train --features pre-posting`, or the button on the Predictor).",
        _ => $"No active {featureSet} model: retrain with `train --features {featureSet}`.",
    };

    /// <summary>The in-memory part, no I/O: features → probabilities → score → contributions.</summary>
    public static PredictionOutcome Predict(LoadedModel model, ScrapedVideoRecord video)
    {
        var features = FeatureExtractor.Extract(video, model.FeatureSet);
        var p = TierPredictor.Predict(model.Model, model.FeatureSet, features);
        var names = model.FeatureSet.FeatureNames;
        var named = new Dictionary<string, float>(names.Count);
        for (var i = 0; i < names.Count; i++)
            named[names[i]] = features[i];
        var age = model.FeatureSet.UsesAge
            ? new AgeReport(video.AgeHours, model.Rows, ObservationAge.TrainedFor(model.Rows), ObservationAge.OutsideTraining(model.Rows, video.AgeHours))
            : null;
        return new PredictionOutcome(model.VersionTag, model.FeatureSet.Name, p.Tier, p.Probabilities, p.Score, p.Contributions, named,
            p.Explanation, p.NoExplanationReason, model.Trainer, age);
    }
}
