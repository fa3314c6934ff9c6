using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Data.Telemetry;

namespace ViralityDashboard.Training.Engagement;

/// <summary>A prediction with the version that made it and the features it saw.</summary>
public sealed record PredictionOutcome(
    string VersionTag, string FeatureSet, int Tier, IReadOnlyList<float> Probabilities, double Score,
    IReadOnlyList<FeatureContribution> Contributions, IReadOnlyDictionary<string, float> Features);

/// <summary>What the Predictor page asks of the engagement model.</summary>
public interface IEngagementPredictor
{
    /// <summary>Versions that can predict (not rejected), newest first.</summary>
    Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default);

    /// <exception cref="ModelRegistryException">No active version, or no such version.</exception>
    Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default);
}

/// <summary>Tier probabilities, 0–100 score and contributions from the active model or a named version.</summary>
public sealed class PredictionService(ActiveModelCache cache, ModelRegistryStore store, ViralityMetrics metrics) : IEngagementPredictor
{
    public async Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default) =>
        (await store.ListAsync(TrainingRequest.Kind, ct)).Where(v => v.Status != VersionStatus.Rejected).OrderByDescending(v => v.TrainedAt).ToList();

    /// <exception cref="ModelRegistryException">No active version, or no version with that tag.</exception>
    public async Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag = null, CancellationToken ct = default)
    {
        var model = versionTag is null
            ? await cache.GetActiveAsync(ct) ?? throw new ModelRegistryException("No active engagement model: run `train` first.")
            : await cache.GetByTagAsync(versionTag, ct);
        var outcome = Predict(model, video);
        metrics.RecordPrediction(TrainingRequest.Kind.Wire());
        return outcome;
    }

    /// <summary>The in-memory part, no I/O: features → probabilities → score → contributions.</summary>
    public static PredictionOutcome Predict(LoadedModel model, ScrapedVideoRecord video)
    {
        var features = FeatureExtractor.Extract(video, model.FeatureSet);
        var p = TierPredictor.Predict(model.Model, model.FeatureSet, features);
        var names = model.FeatureSet.FeatureNames;
        var named = new Dictionary<string, float>(names.Count);
        for (var i = 0; i < names.Count; i++)
            named[names[i]] = features[i];
        return new PredictionOutcome(model.VersionTag, model.FeatureSet.Name, p.Tier, p.Probabilities, p.Score, p.Contributions, named);
    }
}
