using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Training.Monitoring;

/// <summary>
/// Recorded in <c>training_runs.trigger_details</c> of a drift-triggered run: the version that drifted, the rule and
/// the figures that fired it.
/// </summary>
/// <param name="From">Observed time of the oldest of the counted predictions.</param>
/// <param name="Drop">The compared accuracy (<paramref name="ComparedWith"/>) minus the realized one.</param>
/// <param name="ServedAccuracy">The version's served accuracy; null for versions stored without one (and runs recorded before).</param>
/// <param name="ComparedWith">Which figure the realized accuracy was compared with: served where it exists, else test.</param>
public sealed record DriftTriggerDetails(
    string ActiveVersion, string FeatureSet, int Window, int Matured, int Correct, double RealizedAccuracy, double TestAccuracy,
    double Drop, double Threshold, DateTimeOffset? From, DateTimeOffset? To, string Reason,
    double? ServedAccuracy = null, AccuracyBasis ComparedWith = AccuracyBasis.Test);

/// <summary>One active engagement version's figures against the rule.</summary>
/// <param name="Matured">Matured predictions counted: the window, or fewer when fewer exist.</param>
/// <param name="Drop">The compared accuracy (<paramref name="ComparedWith"/>) minus the realized one.</param>
public sealed record DriftVersionFigures(
    string Tag, string FeatureSet, int Matured, int Correct, double? RealizedAccuracy, double? TestAccuracy, double? Drop, bool Drifted, string Reason,
    double? ServedAccuracy = null, AccuracyBasis ComparedWith = AccuracyBasis.Test)
{
    /// <summary>The figure realized accuracy was compared with; null when the version has neither.</summary>
    public double? ComparedAccuracy => ComparedWith == AccuracyBasis.Served ? ServedAccuracy : TestAccuracy;
}

/// <summary>The last drift-triggered run, for the Training page.</summary>
public sealed record DriftRunSummary(long Id, RunStatus Status, DateTimeOffset StartedAt, string? VersionTag, DriftTriggerDetails? Details);

/// <summary>What one check found. <see cref="Details"/> is set when a retrain should fire now.</summary>
/// <param name="CooldownUntil">When the last drift run's cooldown ends; null when none is running.</param>
public sealed record DriftEvaluation(
    bool Fire, string Summary, IReadOnlyList<DriftVersionFigures> Versions, DateTimeOffset? CooldownUntil, DriftRunSummary? LastRun, DriftTriggerDetails? Details);

/// <summary>A check and the retrain it launched (request id), if it fired.</summary>
public sealed record DriftTriggerOutcome(DriftEvaluation Evaluation, Guid? RequestId);

/// <summary>The drift rule's figures as the Training page shows them: it only evaluates, never launches.</summary>
public interface IDriftTriggerCheck
{
    Task<DriftEvaluation> EvaluateAsync(CancellationToken ct = default);
}

/// <summary>
/// Performance drift (issue 12 §5), the engagement model's counterpart of the preference data triggers: an active
/// engagement version whose realized accuracy over its latest <see cref="DriftTriggerOptions.Window"/> matured
/// predictions is at least <see cref="DriftTriggerOptions.AccuracyDrop"/> below its served accuracy at training (its test
/// accuracy when it has none) fires a retrain (trigger <c>drift</c>), with the schedule's choices for that version's
/// feature set. The served accuracy is the comparable figure (issue 23 §4): a model trained on latest counts reports a
/// test accuracy far above what it reaches on videos as first seen, and compared with that it would drift after every
/// cooldown. Only live predictions judged on a later snapshot than their inputs count. Once a drift run has
/// started, none fires again during the cooldown, whatever that run's outcome: a rejected candidate leaves the same
/// drifted version active, and retraining it every hour on the same data would not help.
/// </summary>
public sealed class DriftTrigger(
    IDbContextFactory<ViralityDbContext> contexts,
    NpgsqlDataSource dataSource,
    TrainingLauncher launcher,
    IRetrainSchedule schedule,
    IOptions<DriftTriggerOptions> options,
    TimeProvider clock,
    ILogger<DriftTrigger> logger) : IDriftTriggerCheck
{
    // Each active engagement version with its test and served accuracy at training and its latest matured predictions,
    // newest observed first (realized accuracy is the share predicted right), in one round trip. The accuracies are read
    // in SQL (EngagementVersionMetrics.Test and .Served, whose ServedOrTestAccuracy this mirrors): parsing a version's
    // whole stored metrics (~6 KB) on every Training page render cost more than the query. A prediction judged on the
    // snapshot it was made from (outcome_at not after observed_at) is left out; outcomes from before outcome_at was
    // recorded (null) count, as they did. Backfilled predictions (videos first seen before the version came into play)
    // are a backtest, not what the version met live: a fresh install's first version backfilling 5,000 grown videos
    // fired a second, identical retrain a second after the first (issue 24 §2).
    private const string ActiveWindowsSql = """
        SELECT v.version_tag, v.feature_set,
               CASE WHEN jsonb_typeof(v.metrics -> 'test' -> 'accuracy') = 'number' THEN (v.metrics -> 'test' ->> 'accuracy')::float8 END,
               w.matured, w.correct, w.observed_from, w.observed_to,
               CASE WHEN jsonb_typeof(v.metrics -> 'served' -> 'metrics' -> 'accuracy') = 'number' THEN (v.metrics -> 'served' -> 'metrics' ->> 'accuracy')::float8 END
        FROM model_versions v
        CROSS JOIN LATERAL (
            SELECT count(*)::int AS matured, coalesce(sum((predicted_tier = outcome_tier)::int), 0)::int AS correct,
                   min(observed_at) AS observed_from, max(observed_at) AS observed_to
            FROM (SELECT predicted_tier, outcome_tier, observed_at FROM prediction_log
                  WHERE model_version_id = v.id AND outcome_tier IS NOT NULL AND predicted_tier IS NOT NULL
                    AND (outcome_at IS NULL OR outcome_at > observed_at) AND NOT backfill
                  ORDER BY observed_at DESC, id DESC LIMIT $1) latest) w
        WHERE v.kind = 'engagement' AND v.is_active
        ORDER BY v.feature_set
        """;

    // Realized accuracy is a ratio of counts; k/n minus a test accuracy read from JSON must not miss the threshold
    // by a rounding error when it is exactly at it.
    private const double Tolerance = 1e-9;

    public async Task<DriftEvaluation> EvaluateAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var actives = await ActiveWindowsAsync(o.Window, ct);
        DriftRunSummary? last;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            last = await db.TrainingRuns.AsNoTracking()
                .Where(r => r.Kind == ModelKind.Engagement && r.Trigger == RunTrigger.Drift)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Select(r => new { r.Id, r.Status, r.StartedAt, r.TriggerDetails, Tag = db.ModelVersions.Where(v => v.Id == r.ModelVersionId).Select(v => v.VersionTag).FirstOrDefault() })
                .FirstOrDefaultAsync(ct) is { } r
                ? new DriftRunSummary(r.Id, r.Status, r.StartedAt, r.Tag, ReadDetails(r.TriggerDetails))
                : null;
        }

        var figures = actives.Select(v => Figures(v.Tag, v.FeatureSet, v.TestAccuracy, v.ServedAccuracy, v.Window, o)).ToList();
        var windows = actives.ToDictionary(v => v.Tag, v => v.Window);
        var cooldownUntil = last is null ? (DateTimeOffset?)null : last.StartedAt.AddHours(o.CooldownHours);
        if (cooldownUntil <= clock.GetUtcNow())
            cooldownUntil = null;

        if (actives.Count == 0)
            return new DriftEvaluation(false, "No active engagement version: nothing to judge.", figures, cooldownUntil, last, null);
        var drifted = figures.Where(f => f.Drifted).OrderByDescending(f => f.Drop).FirstOrDefault();
        if (drifted is null)
            return new DriftEvaluation(false, string.Join(" ", figures.Select(f => f.Reason)), figures, cooldownUntil, last, null);
        if (cooldownUntil is { } until)
            return new DriftEvaluation(false, $"{drifted.Reason} Cooling down until {until.UtcDateTime:yyyy-MM-dd HH:mm} UTC after drift run {last!.Id}.", figures, until, last, null);
        if (await launcher.HasPendingAsync(r => !r.IsPreference && r.Trigger == RunTrigger.Drift, ct))
            return new DriftEvaluation(false, $"{drifted.Reason} A drift-triggered run is already queued.", figures, null, last, null);

        var window = windows[drifted.Tag];
        var details = new DriftTriggerDetails(drifted.Tag, drifted.FeatureSet, o.Window, drifted.Matured, drifted.Correct, drifted.RealizedAccuracy!.Value,
            drifted.TestAccuracy ?? double.NaN, drifted.Drop!.Value, o.AccuracyDrop, window.From, window.To, drifted.Reason, drifted.ServedAccuracy, drifted.ComparedWith);
        return new DriftEvaluation(true, drifted.Reason, figures, null, last, details);
    }

    /// <summary>Checks and, when the rule fires, launches an engagement retrain through the retrain job (trigger <c>drift</c>).</summary>
    public async Task<DriftTriggerOutcome> CheckAndLaunchAsync(CancellationToken ct = default)
    {
        if (!options.Value.Enabled)
            return new DriftTriggerOutcome(new DriftEvaluation(false, "The drift trigger is disabled.", [], null, null, null), null);
        var evaluation = await EvaluateAsync(ct);
        if (evaluation.Details is not { } details)
            return new DriftTriggerOutcome(evaluation, null);
        logger.LogInformation("Drift trigger fired: {Summary}", evaluation.Summary);
        // The schedule's choices (the Training page's, or the configured defaults), for the drifted version's feature set.
        var scheduled = (await schedule.GetAsync(ct))?.Choices ?? new ScheduleChoices();
        var featureSet = Core.Engagement.FeatureSet.BuiltIn.FirstOrDefault(f => f.Name == details.FeatureSet) ?? scheduled.FeatureSet;
        var id = await launcher.LaunchAsync(scheduled.ToRequest() with
        {
            FeatureSet = featureSet,
            RequestedBy = "drift-trigger",
            Trigger = RunTrigger.Drift,
            TriggerDetails = TrainingJson.Serialize(details),
        }, ct);
        return new DriftTriggerOutcome(evaluation, id);
    }

    private static DriftVersionFigures Figures(string tag, string featureSet, double? test, double? served, Window w, DriftTriggerOptions o)
    {
        var basis = served is null ? AccuracyBasis.Test : AccuracyBasis.Served;
        var compared = served ?? test;
        if (compared is null)
            return new DriftVersionFigures(tag, featureSet, w.Count, w.Correct, w.Accuracy, null, null, false, $"{tag} has no stored test accuracy to compare with.");
        if (w.Count < o.Window)
            return new DriftVersionFigures(tag, featureSet, w.Count, w.Correct, w.Accuracy, test, compared - w.Accuracy, false,
                $"{tag}: {w.Count} of the {o.Window} live matured predictions needed.", served, basis);
        var drop = compared.Value - w.Accuracy!.Value;
        var drifted = drop >= o.AccuracyDrop - Tolerance;
        var against = basis == AccuracyBasis.Served ? $"its served accuracy {compared:0.000}" : $"its test accuracy {compared:0.000} (no served accuracy stored)";
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{tag}: realized accuracy {w.Accuracy:0.000} over its last {w.Count} live matured predictions is {drop:0.000} {(drop >= 0 ? "below" : "above")} {against}{(drifted ? $" (≥ {o.AccuracyDrop:0.000}: drift)." : $" (fires at ≥ {o.AccuracyDrop:0.000} below).")}");
        return new DriftVersionFigures(tag, featureSet, w.Count, w.Correct, w.Accuracy, test, drop, drifted, reason, served, basis);
    }

    private readonly record struct Window(int Count, int Correct, double? Accuracy, DateTimeOffset? From, DateTimeOffset? To);

    private async Task<List<(string Tag, string FeatureSet, double? TestAccuracy, double? ServedAccuracy, Window Window)>> ActiveWindowsAsync(int window, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(ActiveWindowsSql);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = window });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var actives = new List<(string, string, double?, double?, Window)>();
        while (await reader.ReadAsync(ct))
        {
            var count = reader.GetInt32(3);
            var correct = reader.GetInt32(4);
            actives.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.IsDBNull(7) ? null : reader.GetDouble(7),
                new Window(count, correct, count == 0 ? null : (double)correct / count,
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6))));
        }
        return actives;
    }

    private static DriftTriggerDetails? ReadDetails(string? json)
    {
        if (json is null)
            return null;
        try
        {
            return JsonSerializer.Deserialize<DriftTriggerDetails>(json, TrainingJson.Options);
        }
        catch (JsonException)
        {
            return null; // an older or foreign shape: the page shows the run without its figures
        }
    }
}
