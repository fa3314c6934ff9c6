using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Data.Registry;

/// <summary>A model version without its artifact, for lists and pages.</summary>
public sealed record ModelVersionSummary(
    long Id, string VersionTag, ModelKind Kind, VersionStatus Status, bool IsActive, DateTimeOffset TrainedAt, int TrainingVideoCount,
    string FeatureSet, string? TierScheme, string Trainer, string? Notes, long? TrainingRunId);

/// <summary>One change of the active version of a kind, from the audit log.</summary>
public sealed record ActivationChange(
    long Id, ModelKind Kind, ActivationAction Action, string? FromTag, string? ToTag, string ChangedBy, DateTimeOffset ChangedAt, string? Reason);

/// <summary>
/// What an activation or a rollback would change if made now, as the registry itself works it out: the confirmation
/// dialogs name it before the change (the change itself answers an <see cref="ActivationChange"/> with the same tags).
/// </summary>
public sealed record PlannedChange(ModelKind Kind, string FeatureSet, string? FromTag, string ToTag);

public class ModelRegistryException(string message) : Exception(message);

/// <summary>No version has the tag asked for (the API answers 404, other refusals 409).</summary>
public sealed class ModelVersionNotFoundException(string tag) : ModelRegistryException($"No model version '{tag}'.");

/// <summary>
/// Stores model versions and moves the active flag. Every change of the active version is one transaction
/// that first deactivates the current one (the partial unique index allows one active per kind and feature set:
/// a pre-posting model and a seed15 model answer different questions, so each set keeps its own), then
/// activates the new one, and writes the audit row; a transaction-scoped advisory lock per kind
/// serializes concurrent activations instead of letting one fail on the index.
/// </summary>
public sealed class ModelRegistryStore(IDbContextFactory<ViralityDbContext> contexts, TimeProvider clock)
{
    /// <summary>Stores a new version; when <paramref name="activate"/>, it becomes the active one of its kind and feature set in the same transaction.</summary>
    public async Task<ModelVersion> StoreAsync(ModelVersion version, bool activate, string changedBy, string? reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockKindAsync(db, version.Kind, ct);
        version.IsActive = false;
        if (version.Status == VersionStatus.Active)
            version.Status = VersionStatus.Inactive;
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        if (activate)
            await SwitchAsync(db, version, ActivationAction.Activate, changedBy, reason, ct);
        await tx.CommitAsync(ct);
        return version;
    }

    /// <summary>Makes the version with this tag the active one of its kind and feature set. Rejected versions cannot be activated.</summary>
    public async Task<ActivationChange> ActivateAsync(string tag, string changedBy, string? reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var target = await db.ModelVersions.SingleOrDefaultAsync(v => v.VersionTag == tag, ct)
            ?? throw new ModelRegistryException($"No model version '{tag}'.");
        await LockKindAsync(db, target.Kind, ct);
        await db.Entry(target).ReloadAsync(ct);
        EnsureActivatable(target);
        var change = await SwitchAsync(db, target, ActivationAction.Activate, changedBy, reason, ct);
        await tx.CommitAsync(ct);
        return change;
    }

    /// <summary>What <see cref="ActivateAsync"/> would change now: the active version of the target's kind and feature set → the target.</summary>
    /// <exception cref="ModelRegistryException">Unknown, rejected or already active version, as the activation itself would refuse.</exception>
    public async Task<PlannedChange> PreviewActivateAsync(string tag, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var target = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.VersionTag == tag, ct)
            ?? throw new ModelRegistryException($"No model version '{tag}'.");
        EnsureActivatable(target);
        var current = await ActiveOf(db, target.Kind, target.FeatureSet).AsNoTracking().SingleOrDefaultAsync(ct);
        return new PlannedChange(target.Kind, target.FeatureSet, current?.VersionTag, target.VersionTag);
    }

    /// <summary>
    /// Re-activates the version that was active before the current one: the "from" of the audit row that
    /// made the current version active. Each feature set has its own active version: <paramref name="featureSet"/>
    /// names whose; without it, the one activated last is rolled back.
    /// </summary>
    public async Task<ActivationChange> RollbackAsync(ModelKind kind, string changedBy, string? reason, CancellationToken ct = default, string? featureSet = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockKindAsync(db, kind, ct);
        var (_, previous) = await RollbackStepAsync(db, kind, featureSet, ct);
        var change = await SwitchAsync(db, previous, ActivationAction.Rollback, changedBy, reason, ct);
        await tx.CommitAsync(ct);
        return change;
    }

    /// <summary>What <see cref="RollbackAsync"/> would change now, worked out by the same query.</summary>
    /// <exception cref="ModelRegistryException">Nothing active (of that feature set), or nothing to roll back to.</exception>
    public async Task<PlannedChange> PreviewRollbackAsync(ModelKind kind, string? featureSet = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (current, previous) = await RollbackStepAsync(db, kind, featureSet, ct);
        return new PlannedChange(kind, current.FeatureSet, current.VersionTag, previous.VersionTag);
    }

    private static void EnsureActivatable(ModelVersion target)
    {
        if (target.Status == VersionStatus.Rejected)
            throw new ModelRegistryException($"Version '{target.VersionTag}' was rejected by the gate and cannot be activated.");
        if (target.IsActive)
            throw new ModelRegistryException($"Version '{target.VersionTag}' is already active.");
    }

    private static IQueryable<ModelVersion> ActiveOf(ViralityDbContext db, ModelKind kind, string featureSet) =>
        db.ModelVersions.Where(v => v.Kind == kind && v.FeatureSet == featureSet && v.IsActive);

    /// <summary>The active version a rollback leaves (of <paramref name="featureSet"/>, else the one activated last) and the one it re-activates.</summary>
    private static async Task<(ModelVersion Current, ModelVersion Previous)> RollbackStepAsync(ViralityDbContext db, ModelKind kind, string? featureSet, CancellationToken ct)
    {
        var actives = db.ModelVersions.Where(v => v.Kind == kind && v.IsActive && (featureSet == null || v.FeatureSet == featureSet));
        var current = await actives
            .OrderByDescending(v => db.ModelActivations.Where(a => a.ToVersionId == v.Id).Max(a => (DateTimeOffset?)a.ChangedAt))
            .ThenByDescending(v => v.Id)
            .FirstOrDefaultAsync(ct)
            ?? throw new ModelRegistryException(featureSet is null
                ? $"No active {kind.Wire()} version to roll back from."
                : $"No active {kind.Wire()} {featureSet} version to roll back from.");
        var previousId = await db.ModelActivations
            .Where(a => a.Kind == kind && a.ToVersionId == current.Id)
            .OrderByDescending(a => a.ChangedAt).ThenByDescending(a => a.Id)
            .Select(a => a.FromVersionId)
            .FirstOrDefaultAsync(ct)
            ?? throw new ModelRegistryException($"{current.VersionTag} has no previously active {kind.Wire()} {current.FeatureSet} version to roll back to.");
        return (current, await db.ModelVersions.SingleAsync(v => v.Id == previousId, ct));
    }

    /// <summary>
    /// Puts a version in shadow (<paramref name="shadow"/>) or takes it out, with its audit row, in one transaction under
    /// the kind's activation lock, so an activation cannot make it the champion halfway. Only an engagement version that
    /// passed the gate and is not active can shadow: the scoring job only scores engagement versions, a rejected version
    /// never predicts, and the champion is not its own challenger.
    /// </summary>
    /// <exception cref="ModelVersionNotFoundException">Unknown tag.</exception>
    /// <exception cref="ModelRegistryException">Not engagement, rejected, active, or already in (out of) shadow.</exception>
    public async Task<ActivationChange> SetShadowAsync(string tag, bool shadow, string changedBy, string? reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var target = await db.ModelVersions.SingleOrDefaultAsync(v => v.VersionTag == tag, ct)
            ?? throw new ModelVersionNotFoundException(tag);
        await LockKindAsync(db, target.Kind, ct);
        await db.Entry(target).ReloadAsync(ct);
        if (shadow)
        {
            if (target.Kind != ModelKind.Engagement)
                throw new ModelRegistryException($"Version '{tag}' is a {target.Kind.Wire()} version: only engagement versions can shadow (the scoring job scores those).");
            if (target.Status == VersionStatus.Rejected)
                throw new ModelRegistryException($"Version '{tag}' was rejected by the gate and cannot shadow.");
            if (target.IsActive)
                throw new ModelRegistryException($"Version '{tag}' is active: the champion cannot be its own challenger.");
            if (target.IsShadow)
                throw new ModelRegistryException($"Version '{tag}' is already in shadow.");
        }
        else if (!target.IsShadow)
            throw new ModelRegistryException($"Version '{tag}' is not in shadow.");
        target.IsShadow = shadow;
        var audit = new ModelActivation
        {
            Kind = target.Kind,
            Action = shadow ? ActivationAction.Shadow : ActivationAction.Unshadow,
            ToVersionId = target.Id,
            ChangedBy = changedBy,
            ChangedAt = clock.GetUtcNow(),
            Reason = reason,
        };
        db.ModelActivations.Add(audit);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ActivationChange(audit.Id, audit.Kind, audit.Action, null, target.VersionTag, changedBy, audit.ChangedAt, reason);
    }

    public async Task<IReadOnlyList<ModelVersionSummary>> ListAsync(ModelKind? kind = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking()
            .Where(v => kind == null || v.Kind == kind)
            .OrderByDescending(v => v.TrainedAt).ThenByDescending(v => v.Id)
            .Select(v => new ModelVersionSummary(v.Id, v.VersionTag, v.Kind, v.Status, v.IsActive, v.TrainedAt, v.TrainingVideoCount,
                v.FeatureSet, v.TierScheme, v.Trainer, v.Notes, v.TrainingRunId))
            .ToListAsync(ct);
    }

    /// <summary>Tags of the versions in shadow (challengers the scoring job scores beside the active version).</summary>
    public async Task<IReadOnlyList<string>> ShadowTagsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(v => v.IsShadow).OrderBy(v => v.VersionTag).Select(v => v.VersionTag).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<ActivationChange>> AuditAsync(ModelKind kind, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await (from a in db.ModelActivations.AsNoTracking()
                      where a.Kind == kind
                      join f in db.ModelVersions on a.FromVersionId equals f.Id into fs
                      from f in fs.DefaultIfEmpty()
                      join t in db.ModelVersions on a.ToVersionId equals t.Id into ts
                      from t in ts.DefaultIfEmpty()
                      orderby a.ChangedAt, a.Id
                      select new ActivationChange(a.Id, a.Kind, a.Action, f.VersionTag, t.VersionTag, a.ChangedBy, a.ChangedAt, a.Reason))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The id of the active version of a kind and feature set: one indexed lookup, for caches to compare against.
    /// Without a feature set: the active version that sees the most (any set but pre-posting first), then the newest.
    /// </summary>
    public async Task<long?> ActiveIdAsync(ModelKind kind, CancellationToken ct = default, string? featureSet = null)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.Where(v => v.Kind == kind && v.IsActive && (featureSet == null || v.FeatureSet == featureSet))
            .OrderBy(v => v.FeatureSet == Core.Engagement.FeatureSet.PrePostingName).ThenByDescending(v => v.TrainedAt)
            .Select(v => (long?)v.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>A version with its artifact, by id or by tag.</summary>
    public async Task<ModelVersion?> FindAsync(long? id, string? tag, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => (id != null && v.Id == id) || (tag != null && v.VersionTag == tag), ct);
    }

    private async Task<ActivationChange> SwitchAsync(ViralityDbContext db, ModelVersion target, ActivationAction action, string changedBy, string? reason, CancellationToken ct)
    {
        var current = await ActiveOf(db, target.Kind, target.FeatureSet).SingleOrDefaultAsync(ct);
        if (current is not null)
        {
            current.IsActive = false;
            current.Status = VersionStatus.Inactive;
            // Flushed before the new one is set: the partial unique index is checked per statement.
            await db.SaveChangesAsync(ct);
        }
        target.IsActive = true;
        target.Status = VersionStatus.Active;
        target.IsShadow = false; // a promoted challenger is the champion now, no longer its own shadow
        var audit = new ModelActivation
        {
            Kind = target.Kind,
            Action = action,
            FromVersionId = current?.Id,
            ToVersionId = target.Id,
            ChangedBy = changedBy,
            ChangedAt = clock.GetUtcNow(),
            Reason = reason,
        };
        db.ModelActivations.Add(audit);
        await db.SaveChangesAsync(ct);
        return new ActivationChange(audit.Id, audit.Kind, action, current?.VersionTag, target.VersionTag, changedBy, audit.ChangedAt, reason);
    }

    private static Task LockKindAsync(ViralityDbContext db, ModelKind kind, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"model-activation:" + kind.Wire()}))", ct);
}
