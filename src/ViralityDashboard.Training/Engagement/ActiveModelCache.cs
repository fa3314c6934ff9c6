using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Engagement;

/// <summary>A registry version loaded for prediction. The model is thread-safe; share it.</summary>
public sealed record LoadedModel(long VersionId, string VersionTag, ModelKind Kind, TrainerKind Trainer, FeatureSet FeatureSet, string? TierScheme, TierModel Model)
    : ILoadedModel
{
    /// <summary>The rows it was trained on (mode, observation ages), for a model that reads the age; null when not stored.</summary>
    public RowsReport? Rows { get; init; }
}

/// <summary>The loaded engagement versions; the active one re-checked at most every <see cref="EngagementTrainingOptions.ActiveModelRecheckSeconds"/>.</summary>
public sealed class ActiveModelCache(ModelRegistryStore store, IOptions<EngagementTrainingOptions> options, TimeProvider clock)
    : ModelCache<LoadedModel>(store, TrainingRequest.Kind, () => options.Value.ActiveModelRecheckSeconds, Load, clock)
{
    public static LoadedModel Load(ModelVersion v)
    {
        if (v.Kind != TrainingRequest.Kind)
            throw new ModelRegistryException($"Version '{v.VersionTag}' is a {v.Kind.Wire()} model; predict with --kind {v.Kind.Wire()}.");
        var kind = WireNames.Parse<TrainerKind>(v.Trainer);
        var set = FeatureSet.FromName(v.FeatureSet);
        // Read once here, so each prediction can say which ages the model saw without a round trip.
        var rows = set.UsesAge ? StoredJson.Read<EngagementVersionMetrics>(v.Metrics)?.Rows : null;
        return new LoadedModel(v.Id, v.VersionTag, v.Kind, kind, set, v.TierScheme, TierModel.FromBytes(v.Artifact, kind)) { Rows = rows };
    }
}
