using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Engagement;

/// <summary>A registry version loaded for prediction. The model is thread-safe; share it.</summary>
public sealed record LoadedModel(long VersionId, string VersionTag, ModelKind Kind, TrainerKind Trainer, FeatureSet FeatureSet, string? TierScheme, TierModel Model)
    : ILoadedModel;

/// <summary>The loaded engagement versions; the active one re-checked at most every <see cref="EngagementTrainingOptions.ActiveModelRecheckSeconds"/>.</summary>
public sealed class ActiveModelCache(ModelRegistryStore store, IOptions<EngagementTrainingOptions> options, TimeProvider clock)
    : ModelCache<LoadedModel>(store, TrainingRequest.Kind, () => options.Value.ActiveModelRecheckSeconds, Load, clock)
{
    public static LoadedModel Load(ModelVersion v)
    {
        if (v.Kind != TrainingRequest.Kind)
            throw new ModelRegistryException($"Version '{v.VersionTag}' is a {v.Kind.Wire()} model; predict with --kind {v.Kind.Wire()}.");
        var kind = WireNames.Parse<TrainerKind>(v.Trainer);
        return new LoadedModel(v.Id, v.VersionTag, v.Kind, kind, FeatureSet.FromName(v.FeatureSet), v.TierScheme, TierModel.FromBytes(v.Artifact, kind));
    }
}
