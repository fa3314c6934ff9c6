using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Predict;

/// <summary>What the predictor page needs from the training side, behind an interface so bUnit can fake it.</summary>
public interface IPredictor
{
    /// <summary>Versions that can predict (not rejected), newest first.</summary>
    Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default);

    /// <exception cref="ModelRegistryException">No active version, or no such version.</exception>
    Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default);
}

public sealed class Predictor(ModelRegistry registry, PredictionService predictions) : IPredictor
{
    public async Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default) =>
        (await registry.ListAsync(ct)).Where(v => v.Status != VersionStatus.Rejected).OrderByDescending(v => v.TrainedAt).ToList();

    public Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default) =>
        predictions.PredictAsync(video, versionTag, ct);
}
