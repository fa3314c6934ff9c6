using ViralityDashboard.Core.Ml;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training.Preference;

/// <summary>
/// Recorded in <c>training_runs.trigger_details</c> of a data-triggered run: which rules fired, every rule's
/// figures (drift lists each feature's PSI), and the watermark: the last rating the check looked at.
/// </summary>
/// <param name="Since">Ratings after this one counted as new (the active version's last training rating, or a previous data-triggered run's watermark).</param>
public sealed record DataTriggerDetails(
    IReadOnlyList<RetrainTriggerKind> Fired,
    string ActiveVersion,
    RatingWatermark Since,
    RatingWatermark Watermark,
    IReadOnlyList<TriggerOutcome> Outcomes);

/// <summary>What one check found. <see cref="Details"/> is set when a retrain should fire.</summary>
public sealed record RetrainTriggerEvaluation(bool Fire, string Summary, string? ActiveVersion, int NewRows, RetrainCheck? Check, DataTriggerDetails? Details);

/// <summary>A check and, when it fired, the run it launched (null when that run did not finish in time).</summary>
public sealed record DataTriggerOutcome(RetrainTriggerEvaluation Evaluation, Guid? RequestId, long? RunId, RunStatus? RunStatus);

/// <summary>The data-trigger check's figures as the Training page shows them: it only evaluates, never launches.</summary>
public interface IRetrainTriggerCheck
{
    Task<RetrainTriggerEvaluation> EvaluateAsync(CancellationToken ct = default);
}

/// <summary>
/// Seed 003 §9's data-driven retrain triggers over the active preference version: new ratings, degradation of
/// its MAE on ratings it has not seen, and PSI drift of their features. Each condition fires once: a check
/// only looks at ratings after the later of the active version's last training rating and the watermark of
/// the last data-triggered run, whatever that run's outcome. So when the gate rejects a triggered run's
/// candidate, the same ratings do not fire again every 15 minutes; new ratings have to arrive.
/// </summary>
public sealed class RetrainTriggerService(
    IDbContextFactory<ViralityDbContext> contexts,
    PreferenceDataQueries data,
    PreferenceModelCache cache,
    TrainingLauncher launcher,
    IOptions<PreferenceOptions> options,
    ILogger<RetrainTriggerService> logger) : IRetrainTriggerCheck
{
    public async Task<RetrainTriggerEvaluation> EvaluateAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        // Only an active version has something to be compared with; the first model is trained by hand
        // (`train --kind preference` or the Training page), so a fresh install never trains on its own.
        var active = await cache.GetActiveAsync(ct);
        if (active is null)
            return new RetrainTriggerEvaluation(false, "No active preference version: nothing to retrain.", null, 0, null, null);
        if (await launcher.HasPendingAsync(r => r.IsPreference && r.Trigger == RunTrigger.Data, ct))
            return new RetrainTriggerEvaluation(false, "A data-triggered run is already queued.", active.VersionTag, 0, null, null);

        var since = Later(active.Metrics.LastRating, await LastWatermarkAsync(ct));
        var newer = await data.ReadRowsAsync(o.Filter, since, ct);
        var rows = newer.Select(r => r.ToRow()).ToArray();
        var vectors = rows.Select(r => FeatureNormalizer.Vectorize(active.Normalization, r.Features)).ToArray();
        var check = RetrainTriggers.Evaluate(new RetrainCheckInput(
            rows.Length,
            active.Metrics.Test.Mae,
            rows.Select(r => r.OverallScore).ToArray(),
            vectors.Select(v => active.Model.Predict(v)).ToArray(),
            active.Metrics.DriftReference,
            vectors), o.Triggers);
        if (!check.Retrain)
            return new RetrainTriggerEvaluation(false, string.Join(" ", check.Outcomes.Select(c => c.Reason)), active.VersionTag, rows.Length, check, null);
        var details = new DataTriggerDetails(check.Fired.Select(f => f.Trigger).ToArray(), active.VersionTag, since, newer[^1].Watermark, check.Outcomes);
        return new RetrainTriggerEvaluation(true, string.Join(" ", check.Fired.Select(c => c.Reason)), active.VersionTag, rows.Length, check, details);
    }

    /// <summary>
    /// Checks and, when a trigger fires, launches a preference run through the retrain job (trigger <c>data</c>)
    /// and waits for it, so the next check sees its watermark.
    /// </summary>
    public async Task<DataTriggerOutcome> CheckAndLaunchAsync(CancellationToken ct = default)
    {
        var evaluation = await EvaluateAsync(ct);
        if (!evaluation.Fire)
            return new DataTriggerOutcome(evaluation, null, null, null);
        logger.LogInformation("Data trigger fired: {Summary}", evaluation.Summary);
        var id = await launcher.LaunchAsync(new TrainingRequest(
            RequestedBy: "data-trigger",
            ModelKind: ModelKind.Preference,
            Trigger: RunTrigger.Data,
            TriggerDetails: TrainingJson.Serialize(evaluation.Details)), ct);
        var run = await launcher.WaitAsync(id, TimeSpan.FromSeconds(options.Value.TimeBudgetSeconds * 2 + 60), ct);
        return new DataTriggerOutcome(evaluation, id, run?.Id, run?.Status);
    }

    private async Task<RatingWatermark?> LastWatermarkAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var json = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Kind == ModelKind.Preference && r.Trigger == RunTrigger.Data && r.TriggerDetails != null)
            .OrderByDescending(r => r.Id).Select(r => r.TriggerDetails).FirstOrDefaultAsync(ct);
        return json is null ? null : JsonSerializer.Deserialize<DataTriggerDetails>(json, TrainingJson.Options)?.Watermark;
    }

    private static RatingWatermark Later(RatingWatermark a, RatingWatermark? b) =>
        b is null || a.RatedAt > b.RatedAt || (a.RatedAt == b.RatedAt && a.RatingId >= b.RatingId) ? a : b;
}
