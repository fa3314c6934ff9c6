using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Registry;

/// <summary>
/// The registry as pages and the CLI use it: list, audit, activate, roll back, per model kind. The overloads
/// without a kind mean the engagement model, as they did before the preference model existed.
/// </summary>
public sealed class ModelRegistry(ModelRegistryStore store, ActiveModelCache cache, PreferenceModelCache preferenceCache)
{
    public Task<IReadOnlyList<ModelVersionSummary>> ListAsync(CancellationToken ct = default) => store.ListAsync(TrainingRequest.Kind, ct);

    /// <param name="kind">engagement, preference, or null for every kind.</param>
    public Task<IReadOnlyList<ModelVersionSummary>> ListAsync(string? kind, CancellationToken ct = default) => store.ListAsync(kind, ct);

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(CancellationToken ct = default) => store.AuditAsync(TrainingRequest.Kind, ct);

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(string kind, CancellationToken ct = default) => store.AuditAsync(kind, ct);

    /// <summary>Activates the version with this tag within its own kind.</summary>
    /// <exception cref="ModelRegistryException">Unknown tag, rejected or already active version.</exception>
    public async Task<ActivationChange> ActivateAsync(string tag, string changedBy, string? reason, CancellationToken ct = default)
    {
        var change = await store.ActivateAsync(tag, changedBy, reason, ct);
        Invalidate(change.Kind);
        return change;
    }

    /// <exception cref="ModelRegistryException">Nothing active or nothing to roll back to.</exception>
    public Task<ActivationChange> RollbackAsync(string changedBy, string? reason, CancellationToken ct = default) =>
        RollbackAsync(TrainingRequest.Kind, changedBy, reason, ct);

    /// <exception cref="ModelRegistryException">Nothing active of that kind, or nothing to roll back to.</exception>
    public async Task<ActivationChange> RollbackAsync(string kind, string changedBy, string? reason, CancellationToken ct = default)
    {
        if (!ModelKinds.All.Contains(kind))
            throw new ModelRegistryException($"Unknown model kind '{kind}'. Known: {string.Join(", ", ModelKinds.All)}.");
        var change = await store.RollbackAsync(kind, changedBy, reason, ct);
        Invalidate(kind);
        return change;
    }

    private void Invalidate(string kind)
    {
        if (kind == ModelKinds.Preference)
            preferenceCache.Invalidate();
        else
            cache.Invalidate();
    }
}
