using ViralityDashboard.Core.Ml;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training;

/// <summary>
/// The preference counterpart of <see cref="ActiveModelCache"/>: loaded versions stay in memory, the active one
/// is re-checked against the database at most every <see cref="PreferenceOptions.ActiveModelRecheckSeconds"/>.
/// </summary>
public sealed class PreferenceModelCache(ModelRegistryStore store, IOptions<PreferenceOptions> options, TimeProvider clock)
{
    public const ModelKind Kind = ModelKind.Preference;

    private sealed record ActiveState(LoadedPreferenceModel? Model, long CheckedAt);

    private readonly ConcurrentDictionary<long, LoadedPreferenceModel> _byId = new();
    private volatile ActiveState? _active;

    public async ValueTask<LoadedPreferenceModel?> GetActiveAsync(CancellationToken ct = default)
    {
        var state = _active;
        var now = clock.GetTimestamp();
        if (state is not null && clock.GetElapsedTime(state.CheckedAt, now).TotalSeconds < options.Value.ActiveModelRecheckSeconds)
            return state.Model;
        var id = await store.ActiveIdAsync(Kind, ct);
        LoadedPreferenceModel? model = null;
        if (id is { } versionId)
        {
            model = _byId.TryGetValue(versionId, out var hit) ? hit
                : Load(await store.FindAsync(versionId, null, ct) ?? throw new ModelRegistryException($"Model version {versionId} disappeared."));
            _byId.TryAdd(versionId, model);
        }
        _active = new ActiveState(model, now);
        return model;
    }

    /// <exception cref="ModelRegistryException">No such version, or it is not a preference version.</exception>
    public async Task<LoadedPreferenceModel> GetByTagAsync(string tag, CancellationToken ct = default)
    {
        var hit = _byId.Values.FirstOrDefault(m => m.VersionTag == tag);
        if (hit is not null)
            return hit;
        var version = await store.FindAsync(null, tag, ct) ?? throw new ModelRegistryException($"No model version '{tag}'.");
        return _byId.GetOrAdd(version.Id, _ => Load(version));
    }

    public void Invalidate() => _active = null;

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
