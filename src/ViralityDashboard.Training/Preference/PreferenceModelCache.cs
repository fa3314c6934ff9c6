using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Preference;

/// <summary>The loaded preference versions; the active one re-checked at most every <see cref="PreferenceOptions.ActiveModelRecheckSeconds"/>.</summary>
public sealed class PreferenceModelCache(ModelRegistryStore store, IOptions<PreferenceOptions> options, TimeProvider clock)
    : ModelCache<LoadedPreferenceModel>(store, Kind, () => options.Value.ActiveModelRecheckSeconds, Load, clock)
{
    public const ModelKind Kind = ModelKind.Preference;

    public static LoadedPreferenceModel Load(ModelVersion v)
    {
        if (v.Kind != Kind)
            throw new ModelRegistryException($"Version '{v.VersionTag}' is a {v.Kind.Wire()} model, not a preference model.");
        var metrics = JsonSerializer.Deserialize<PreferenceVersionMetrics>(v.Metrics, TrainingJson.Options)
            ?? throw new InvalidDataException($"Version '{v.VersionTag}' has no metrics.");
        var (model, dimensions) = PreferenceArtifact.Unpack(v.Artifact, metrics);
        return new LoadedPreferenceModel(v.Id, v.VersionTag, v.TrainedAt, metrics.Kind, NormalizationConfig.FromJson(v.NormalizationConfig), model, metrics, dimensions);
    }
}
