using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Training;

/// <summary>
/// The preference model's read side as the Training and Models pages use it, behind an interface so bUnit can
/// fake it: <see cref="PreferenceQueries"/> and the data-trigger check's figures (<see cref="RetrainTriggerService.EvaluateAsync"/>,
/// which only evaluates and never launches).
/// </summary>
public interface IPreferenceReads
{
    Task<PreferenceStatus> StatusAsync(CancellationToken ct = default);
    Task<RetrainTriggerEvaluation> EvaluateTriggersAsync(CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PreferenceRunRow>> RunsAsync(int take, CancellationToken ct = default);
    Task<PreferenceRunDetail?> RunAsync(long id, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PreferenceVersionRow>> VersionsAsync(CancellationToken ct = default);
    Task<PreferenceVersionDetail?> VersionAsync(string tag, CancellationToken ct = default);
    Task<IReadOnlyList<ActivationChange>> AuditAsync(CancellationToken ct = default);
}

public sealed class PreferenceReads(PreferenceQueries queries, RetrainTriggerService triggers, ITrainingQueries training) : IPreferenceReads
{
    public Task<PreferenceStatus> StatusAsync(CancellationToken ct = default) => queries.StatusAsync(ct);
    public Task<RetrainTriggerEvaluation> EvaluateTriggersAsync(CancellationToken ct = default) => triggers.EvaluateAsync(ct);
    public Task<IReadOnlyList<PreferenceRunRow>> RunsAsync(int take, CancellationToken ct = default) => queries.RunsAsync(take, ct);
    public Task<PreferenceRunDetail?> RunAsync(long id, CancellationToken ct = default) => queries.RunAsync(id, ct);
    public Task<IReadOnlyList<PreferenceVersionRow>> VersionsAsync(CancellationToken ct = default) => queries.VersionsAsync(ct);
    public Task<PreferenceVersionDetail?> VersionAsync(string tag, CancellationToken ct = default) => queries.VersionAsync(tag, ct);
    public Task<IReadOnlyList<ActivationChange>> AuditAsync(CancellationToken ct = default) => training.AuditAsync(ModelKind.Preference, ct);
}
