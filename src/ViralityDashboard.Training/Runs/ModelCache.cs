using System.Collections.Concurrent;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training.Runs;

/// <summary>A registry version loaded for prediction, of either kind.</summary>
public interface ILoadedModel
{
    long VersionId { get; }

    string VersionTag { get; }
}

/// <summary>
/// Keeps one kind's loaded versions in memory. The active one is re-checked against the database (one indexed
/// lookup of the active id) at most every <c>ActiveModelRecheckSeconds</c> of that kind's options, so a version
/// activated by another process (the CLI, a second node) is picked up within that time, while a prediction in
/// between costs no round trip. Activations in this process invalidate at once.
/// </summary>
/// <param name="kind"><c>model_versions.kind</c> of the versions it holds.</param>
/// <param name="recheckSeconds">Read at each call, so it follows the options.</param>
/// <param name="load">Turns a stored version into the loaded model; throws <see cref="ModelRegistryException"/> for another kind.</param>
public abstract class ModelCache<TModel>(ModelRegistryStore store, ModelKind kind, Func<double> recheckSeconds, Func<ModelVersion, TModel> load, TimeProvider clock)
    where TModel : class, ILoadedModel
{
    /// <param name="Generation">The slot's generation it was read in; an invalidation starts a new one.</param>
    private sealed record ActiveState(TModel? Model, long CheckedAt, int Generation);

    /// <summary>The active state and re-check flag of one feature set ("" for the kind's default active version).</summary>
    private sealed class ActiveSlot
    {
        public volatile ActiveState? State;
        public int Generation;
        public int Rechecking;
    }

    private readonly ConcurrentDictionary<long, TModel> _byId = new();
    private readonly ConcurrentDictionary<string, ActiveSlot> _active = new();

    /// <summary>The kind's default active version (see <see cref="ModelRegistryStore.ActiveIdAsync"/>).</summary>
    public ValueTask<TModel?> GetActiveAsync(CancellationToken ct = default) => GetActiveAsync(null, ct);

    /// <summary>The active version of <paramref name="featureSet"/> (each feature set has its own), or the default one when null.</summary>
    public ValueTask<TModel?> GetActiveAsync(string? featureSet, CancellationToken ct = default)
    {
        var slot = _active.GetOrAdd(featureSet ?? "", _ => new ActiveSlot());
        var state = slot.State;
        if (state is not null && state.Generation == Volatile.Read(ref slot.Generation)
            && clock.GetElapsedTime(state.CheckedAt, clock.GetTimestamp()).TotalSeconds < recheckSeconds())
            return ValueTask.FromResult(state.Model);
        // Due for a re-check (the interval ran out, or an activation here invalidated it) while a model is loaded:
        // one caller asks the database, the others keep predicting with the model they have. Otherwise every
        // request in flight at that moment queued for its own lookup: the API's p99 spiked every two seconds, and
        // at the end of a retrain sixteen requests each read and loaded the new version (300 ms).
        // With no model yet (the first activation), the others have nothing to keep: they look it up themselves
        // rather than answer "no active model" while it is being read.
        if (state?.Model is null)
            return new ValueTask<TModel?>(RecheckAsync(slot, featureSet, holdsFlag: false, ct));
        if (Interlocked.CompareExchange(ref slot.Rechecking, 1, 0) != 0)
            return ValueTask.FromResult<TModel?>(state.Model);
        return new ValueTask<TModel?>(RecheckAsync(slot, featureSet, holdsFlag: true, ct));
    }

    private async Task<TModel?> RecheckAsync(ActiveSlot slot, string? featureSet, bool holdsFlag, CancellationToken ct)
    {
        try
        {
            var generation = Volatile.Read(ref slot.Generation);
            var now = clock.GetTimestamp();
            var id = await store.ActiveIdAsync(kind, ct, featureSet);
            var model = id is null ? null : await GetByIdAsync(id.Value, ct);
            // Stored under the generation it was read in: if an activation invalidated the slot meanwhile, the
            // answer may predate it, and the next call reads again.
            slot.State = new ActiveState(model, now, generation);
            return model;
        }
        finally
        {
            if (holdsFlag)
                Volatile.Write(ref slot.Rechecking, 0);
        }
    }

    /// <exception cref="ModelRegistryException">No such version, or it is of another kind.</exception>
    public async Task<TModel> GetByTagAsync(string tag, CancellationToken ct = default)
    {
        var hit = _byId.Values.FirstOrDefault(m => m.VersionTag == tag);
        if (hit is not null)
            return hit;
        var version = await store.FindAsync(null, tag, ct) ?? throw new ModelRegistryException($"No model version '{tag}'.");
        return _byId.GetOrAdd(version.Id, _ => load(version));
    }

    /// <summary>
    /// The next call asks the database which version is active; calls meanwhile keep the version they had.
    /// <paramref name="activated"/>, the version just activated in this process, is loaded here first, so the
    /// request that re-checks finds it loaded instead of reading and deserializing it itself.
    /// </summary>
    public void Invalidate(ModelVersion? activated = null)
    {
        if (activated is not null)
            _byId.GetOrAdd(activated.Id, _ => load(activated));
        foreach (var slot in _active.Values)
            Interlocked.Increment(ref slot.Generation);
    }

    private async Task<TModel> GetByIdAsync(long id, CancellationToken ct)
    {
        if (_byId.TryGetValue(id, out var hit))
            return hit;
        var version = await store.FindAsync(id, null, ct) ?? throw new ModelRegistryException($"Model version {id} disappeared.");
        return _byId.GetOrAdd(id, _ => load(version));
    }
}
