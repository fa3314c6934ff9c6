using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training;

/// <summary>A registry version loaded for prediction. The model is thread-safe; share it.</summary>
public sealed record LoadedModel(long VersionId, string VersionTag, ModelKind Kind, TrainerKind Trainer, FeatureSet FeatureSet, string? TierScheme, TierModel Model);

/// <summary>
/// Keeps loaded models in memory. The active one is re-checked against the database (one indexed
/// lookup of the active id) at most every <see cref="EngagementTrainingOptions.ActiveModelRecheckSeconds"/>,
/// so a version activated by another process (the CLI, a second node) is picked up within that time,
/// while a prediction in between costs no round trip. Activations in this process invalidate at once.
/// </summary>
public sealed class ActiveModelCache(ModelRegistryStore store, IOptions<EngagementTrainingOptions> options, TimeProvider clock)
{
    private sealed record ActiveState(LoadedModel? Model, long CheckedAt);

    private readonly ConcurrentDictionary<long, LoadedModel> _byId = new();
    private volatile ActiveState? _active;

    public ValueTask<LoadedModel?> GetActiveAsync(CancellationToken ct = default)
    {
        var state = _active;
        if (state is not null && clock.GetElapsedTime(state.CheckedAt, clock.GetTimestamp()).TotalSeconds < options.Value.ActiveModelRecheckSeconds)
            return ValueTask.FromResult(state.Model);
        // Due for a re-check while a model is loaded: one caller asks the database, the others keep predicting
        // with the model they have. Otherwise, under load, every request in flight at the moment the interval
        // ran out queued for its own lookup, and the API's p99 latency spiked every two seconds.
        if (state is not null && Interlocked.CompareExchange(ref _rechecking, 1, 0) != 0)
            return ValueTask.FromResult(state.Model);
        return new ValueTask<LoadedModel?>(RecheckAsync(state is not null, ct));
    }

    private int _rechecking;

    private async Task<LoadedModel?> RecheckAsync(bool holdsFlag, CancellationToken ct)
    {
        try
        {
            var now = clock.GetTimestamp();
            var id = await store.ActiveIdAsync(TrainingRequest.Kind, ct);
            var model = id is null ? null : await GetByIdAsync(id.Value, ct);
            _active = new ActiveState(model, now);
            return model;
        }
        finally
        {
            if (holdsFlag)
                Volatile.Write(ref _rechecking, 0);
        }
    }

    public async Task<LoadedModel> GetByTagAsync(string tag, CancellationToken ct = default)
    {
        var hit = _byId.Values.FirstOrDefault(m => m.VersionTag == tag);
        if (hit is not null)
            return hit;
        var version = await store.FindAsync(null, tag, ct) ?? throw new ModelRegistryException($"No model version '{tag}'.");
        return _byId.GetOrAdd(version.Id, _ => Load(version));
    }

    /// <summary>Forget the active version so the next call asks the database.</summary>
    public void Invalidate() => _active = null;

    private async Task<LoadedModel> GetByIdAsync(long id, CancellationToken ct)
    {
        if (_byId.TryGetValue(id, out var hit))
            return hit;
        var version = await store.FindAsync(id, null, ct) ?? throw new ModelRegistryException($"Model version {id} disappeared.");
        return _byId.GetOrAdd(id, _ => Load(version));
    }

    public static LoadedModel Load(ModelVersion v)
    {
        if (v.Kind != TrainingRequest.Kind)
            throw new ModelRegistryException($"Version '{v.VersionTag}' is a {v.Kind.Wire()} model; predict with --kind {v.Kind.Wire()}.");
        var kind = WireNames.Parse<TrainerKind>(v.Trainer);
        return new LoadedModel(v.Id, v.VersionTag, v.Kind, kind, FeatureSet.FromName(v.FeatureSet), v.TierScheme, TierModel.FromBytes(v.Artifact, kind));
    }
}
