using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training;

/// <summary>
/// The mutating side of the Training and Models pages and the API, behind an interface so bUnit can fake it.
/// Callers check the owner first (<see cref="Account.OwnerGuard"/> on pages, the Owner policy on the API).
/// </summary>
public interface ITrainingCommands
{
    /// <summary>Fires a retrain through Quartz; returns the request id the run row will carry.</summary>
    Task<Guid> LaunchAsync(TrainingRequest request, CancellationToken ct = default);

    /// <exception cref="ModelRegistryException">Unknown, rejected or already active version.</exception>
    Task<ActivationChange> ActivateAsync(string tag, string changedBy, string reason, CancellationToken ct = default);

    /// <summary>Re-activates the previously active version of <paramref name="kind"/> (engagement or preference).</summary>
    /// <exception cref="ModelRegistryException">Nothing to roll back to, or an unknown kind.</exception>
    Task<ActivationChange> RollbackAsync(string kind, string changedBy, string reason, CancellationToken ct = default);
}

public sealed class TrainingCommands(TrainingLauncher launcher, ModelRegistry registry) : ITrainingCommands
{
    public Task<Guid> LaunchAsync(TrainingRequest request, CancellationToken ct = default) => launcher.LaunchAsync(request, ct);

    public Task<ActivationChange> ActivateAsync(string tag, string changedBy, string reason, CancellationToken ct = default) =>
        registry.ActivateAsync(tag, changedBy, reason, ct);

    public Task<ActivationChange> RollbackAsync(string kind, string changedBy, string reason, CancellationToken ct = default) =>
        registry.RollbackAsync(kind, changedBy, reason, ct);
}

/// <summary>The options a launch may choose, as the page and the API offer them.</summary>
public static class LaunchChoices
{
    public static readonly IReadOnlyList<string> FeatureSets = ["seed15", "pre-posting"];
    public static readonly IReadOnlyList<string> TierSchemes = ["views", "wes"];
    public static readonly IReadOnlyList<string> Trainers = ["lbfgs", "lightgbm", "forest"];
    public static readonly IReadOnlyList<string> Splits = ["stratified", "hash", "time"];
}
