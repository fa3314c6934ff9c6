using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training;

/// <summary>The registry as pages and the CLI use it: list, audit, activate, roll back (engagement kind).</summary>
public sealed class ModelRegistry(ModelRegistryStore store, ActiveModelCache cache)
{
    public Task<IReadOnlyList<ModelVersionSummary>> ListAsync(CancellationToken ct = default) => store.ListAsync(TrainingRequest.Kind, ct);

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(CancellationToken ct = default) => store.AuditAsync(TrainingRequest.Kind, ct);

    /// <exception cref="ModelRegistryException">Unknown tag, rejected or already active version.</exception>
    public async Task<ActivationChange> ActivateAsync(string tag, string changedBy, string? reason, CancellationToken ct = default)
    {
        var change = await store.ActivateAsync(tag, changedBy, reason, ct);
        cache.Invalidate();
        return change;
    }

    /// <exception cref="ModelRegistryException">Nothing active or nothing to roll back to.</exception>
    public async Task<ActivationChange> RollbackAsync(string changedBy, string? reason, CancellationToken ct = default)
    {
        var change = await store.RollbackAsync(TrainingRequest.Kind, changedBy, reason, ct);
        cache.Invalidate();
        return change;
    }
}
