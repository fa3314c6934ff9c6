using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.Training.Registry;

/// <summary>Activation and rollback, as the Models page and the API do them. Callers check the owner first (<c>OwnerGuard</c> on pages, the Owner policy on the API).</summary>
public interface IModelActivation
{
    /// <exception cref="ModelRegistryException">Unknown, rejected or already active version.</exception>
    Task<ActivationChange> ActivateAsync(string tag, string changedBy, string reason, CancellationToken ct = default);

    /// <summary>
    /// Re-activates the previously active version of <paramref name="kind"/> (engagement or preference) in
    /// <paramref name="featureSet"/>; without one, in the feature set whose version was activated last.
    /// </summary>
    /// <exception cref="ModelRegistryException">Nothing to roll back to, or an unknown kind.</exception>
    Task<ActivationChange> RollbackAsync(ModelKind kind, string changedBy, string reason, CancellationToken ct = default, string? featureSet = null);

    /// <summary>The from → to that <see cref="ActivateAsync"/> would make now, for the confirmation dialog.</summary>
    /// <exception cref="ModelRegistryException">As <see cref="ActivateAsync"/> would refuse.</exception>
    Task<PlannedChange> PreviewActivateAsync(string tag, CancellationToken ct = default);

    /// <summary>The from → to that <see cref="RollbackAsync"/> would make now, for the confirmation dialog.</summary>
    /// <exception cref="ModelRegistryException">As <see cref="RollbackAsync"/> would refuse (nothing to roll back to).</exception>
    Task<PlannedChange> PreviewRollbackAsync(ModelKind kind, string? featureSet, CancellationToken ct = default);
}

/// <summary>Shadow and unshadow, as the Models page and the API do them. Callers check the owner first.</summary>
public interface IModelShadowing
{
    /// <exception cref="ModelVersionNotFoundException">Unknown tag.</exception>
    /// <exception cref="ModelRegistryException">Not an engagement version that passed the gate and is inactive, or already in shadow.</exception>
    Task<ActivationChange> ShadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default);

    /// <exception cref="ModelVersionNotFoundException">Unknown tag.</exception>
    /// <exception cref="ModelRegistryException">Not in shadow.</exception>
    Task<ActivationChange> UnshadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default);
}

/// <summary>
/// The registry as pages and the CLI use it: list, audit, activate, roll back, per model kind. The overloads
/// without a kind mean the engagement model, as they did before the preference model existed.
/// </summary>
public sealed class ModelRegistry(ModelRegistryStore store, ActiveModelCache cache, PreferenceModelCache preferenceCache) : IModelActivation, IModelShadowing
{
    public Task<IReadOnlyList<ModelVersionSummary>> ListAsync(CancellationToken ct = default) => store.ListAsync(TrainingRequest.Kind, ct);

    /// <param name="kind">engagement, preference, or null for every kind.</param>
    public Task<IReadOnlyList<ModelVersionSummary>> ListAsync(ModelKind? kind, CancellationToken ct = default) => store.ListAsync(kind, ct);

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(CancellationToken ct = default) => store.AuditAsync(TrainingRequest.Kind, ct);

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(ModelKind kind, CancellationToken ct = default) => store.AuditAsync(kind, ct);

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

    /// <exception cref="ModelRegistryException">Nothing active of that kind (and feature set), or nothing to roll back to.</exception>
    public async Task<ActivationChange> RollbackAsync(ModelKind kind, string changedBy, string? reason, CancellationToken ct = default, string? featureSet = null)
    {
        var change = await store.RollbackAsync(kind, changedBy, reason, ct, featureSet);
        Invalidate(kind);
        return change;
    }

    public Task<PlannedChange> PreviewActivateAsync(string tag, CancellationToken ct = default) => store.PreviewActivateAsync(tag, ct);

    public Task<PlannedChange> PreviewRollbackAsync(ModelKind kind, string? featureSet, CancellationToken ct = default) => store.PreviewRollbackAsync(kind, featureSet, ct);

    public Task<IReadOnlyList<string>> ShadowTagsAsync(CancellationToken ct = default) => store.ShadowTagsAsync(ct);

    // No cache to invalidate: the scoring job reads the shadow flags from the table at each pass.
    public Task<ActivationChange> ShadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default) =>
        store.SetShadowAsync(tag, shadow: true, changedBy, reason, ct);

    public Task<ActivationChange> UnshadowAsync(string tag, string changedBy, string? reason, CancellationToken ct = default) =>
        store.SetShadowAsync(tag, shadow: false, changedBy, reason, ct);

    private void Invalidate(ModelKind kind)
    {
        if (kind == ModelKind.Preference)
            preferenceCache.Invalidate();
        else
            cache.Invalidate();
    }
}
