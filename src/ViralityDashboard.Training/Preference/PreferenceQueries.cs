using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using Microsoft.Extensions.Options;

namespace ViralityDashboard.Training.Preference;

/// <summary>Where the rating data stands: how many training rows, the milestone, what the next one unlocks, the active version.</summary>
public sealed record PreferenceStatus(int RowCount, PreferenceRowFilter Filter, MilestonePlan Plan, PreferenceVersionRow? Active);

/// <summary>A preference version with its headline test metrics (0–1 score scale).</summary>
public sealed record PreferenceVersionRow(
    long Id, string Tag, VersionStatus Status, bool IsActive, DateTimeOffset TrainedAt, int Rows, string Trainer, PreferenceMilestone? Milestone,
    double? Mae, double? Rmse, double? R2, double? CrossValidationMae, double? CrossValidationMaeStd, string? Verdict, string? Notes)
{
    /// <summary>The verdict under the configured <see cref="VerdictRule"/>, whenever the version was trained; null without metrics.</summary>
    public ModelVerdict? Assessment { get; init; }
}

public sealed record PreferenceVersionDetail(PreferenceVersionRow Version, PreferenceVersionMetrics? Metrics, double? Intercept, IReadOnlyList<FeatureWeight> Weights);

/// <summary>A preference run in the history table.</summary>
/// <param name="FiredTriggers">For data-triggered runs, which rules fired.</param>
public sealed record PreferenceRunRow(
    long Id, RunTrigger Trigger, RunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int RowCount, PreferenceMilestone? Milestone,
    string? VersionTag, double? Mae, double? R2, GateVerdict? GateDecision, IReadOnlyList<RetrainTriggerKind> FiredTriggers, string? Error);

/// <summary>One badly predicted test row with the owner's notes on it (seed 003 §6.3).</summary>
/// <param name="VideoId">The rated video, for a link to its page; null when the rating has since been deleted.</param>
public sealed record ErrorWithNotes(long RatingId, double Actual, double Predicted, double Error, string? Notes, long? VideoId = null);

public sealed record PreferenceRunDetail(
    PreferenceRunRow Run,
    PreferenceTrainingResult? Result,
    IReadOnlyList<ErrorWithNotes> Overestimated,
    IReadOnlyList<ErrorWithNotes> Underestimated,
    DataTriggerDetails? TriggerDetails,
    IReadOnlyList<string> GateReasons,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<StepTiming> Timings);

/// <summary>An analyzed video the predictor can start from.</summary>
public sealed record AnalyzedVideoChoice(long VideoId, string PlatformVideoId, string? AuthorHandle, string? Description, int FeatureCount, bool Rated);

/// <summary>The preference model's status, runs and versions, as the Training and Models pages read them.</summary>
public interface IPreferenceQueries
{
    Task<PreferenceStatus> StatusAsync(CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PreferenceRunRow>> RunsAsync(int take, CancellationToken ct = default);
    Task<PreferenceRunDetail?> RunAsync(long id, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PreferenceVersionRow>> VersionsAsync(CancellationToken ct = default);
    Task<PreferenceVersionDetail?> VersionAsync(string tag, CancellationToken ct = default);
}

/// <summary>Analyzed videos the Predictor page can start from.</summary>
public interface IAnalyzedVideos
{
    Task<IReadOnlyList<AnalyzedVideoChoice>> SearchAnalyzedAsync(string? text, int limit, CancellationToken ct = default);

    /// <summary>The video's stored analysis JSON, or null.</summary>
    Task<string?> AnalysisAsync(long videoId, CancellationToken ct = default);
}

/// <summary>The preference model's read side for pages and the API; every method opens its own context and returns records.</summary>
public sealed class PreferenceQueries(IDbContextFactory<ViralityDbContext> contexts, PreferenceDataQueries data, IOptions<PreferenceOptions> options) : IPreferenceQueries, IAnalyzedVideos
{
    public async Task<PreferenceStatus> StatusAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var rows = await data.CountRowsAsync(o.Filter, null, ct);
        var active = (await VersionsAsync(ct)).FirstOrDefault(v => v.IsActive);
        var plan = MilestonePlanner.Plan(rows, active is not null, o.Pipeline.Milestones);
        return new PreferenceStatus(rows, o.Filter, plan, active);
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<PreferenceVersionRow>> VersionsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.Kind == ModelKind.Preference)
            .OrderByDescending(v => v.TrainedAt).ThenByDescending(v => v.Id).ToListAsync(ct);
        return versions.Select(v => VersionRow(v, Parse<PreferenceVersionMetrics>(v.Metrics))).ToList();
    }

    public async Task<PreferenceVersionDetail?> VersionAsync(string tag, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var v = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.VersionTag == tag && m.Kind == ModelKind.Preference, ct);
        if (v is null)
            return null;
        var metrics = Parse<PreferenceVersionMetrics>(v.Metrics);
        var weights = Parse<StoredWeights>(v.FeatureWeights);
        return new PreferenceVersionDetail(VersionRow(v, metrics), metrics, weights?.Intercept, weights?.Weights ?? []);
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<PreferenceRunRow>> RunsAsync(int take = 50, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = await db.TrainingRuns.AsNoTracking().Where(r => r.Kind == ModelKind.Preference).OrderByDescending(r => r.Id).Take(take).ToListAsync(ct);
        var tags = await RunVersionTags.OfAsync(db, runs, ct);
        return runs.Select(r => RunRow(r, Parse<PreferenceTrainingResult>(r.Metrics), tags)).ToList();
    }

    public async Task<PreferenceRunDetail?> RunAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.Kind == ModelKind.Preference, ct);
        if (run is null)
            return null;
        var result = Parse<PreferenceTrainingResult>(run.Metrics);
        var errors = result?.Selected?.Errors;
        var ids = errors is null ? [] : errors.Overestimated.Concat(errors.Underestimated).Select(e => long.Parse(e.RowId)).ToArray();
        var ratings = ids.Length == 0 ? new Dictionary<long, (long VideoId, string? Notes)>() : await data.RatingsAsync(ids, ct);
        ErrorWithNotes Resolve(PredictionError e)
        {
            var id = long.Parse(e.RowId);
            return ratings.TryGetValue(id, out var r)
                ? new ErrorWithNotes(id, e.Actual, e.Predicted, e.Error, r.Notes, r.VideoId)
                : new ErrorWithNotes(id, e.Actual, e.Predicted, e.Error, null);
        }
        IReadOnlyList<ErrorWithNotes> WithNotes(IEnumerable<PredictionError>? list) => list?.Select(Resolve).ToList() ?? [];
        return new PreferenceRunDetail(
            RunRow(run, result, await RunVersionTags.OfAsync(db, [run], ct)),
            result,
            WithNotes(errors?.Overestimated),
            WithNotes(errors?.Underestimated),
            Parse<DataTriggerDetails>(run.TriggerDetails),
            run.GateReasons,
            run.Warnings,
            Parse<List<StepTiming>>(run.Timings) ?? []);
    }

    public Task<IReadOnlyList<ImportanceSnapshotSummary>> SnapshotsAsync(int take = 50, CancellationToken ct = default) => data.SnapshotsAsync(take, ct);

    public Task<ImportanceSnapshotDetail?> SnapshotAsync(long id, CancellationToken ct = default) => data.SnapshotAsync(id, ct);

    /// <summary>A video's stored analysis of the configured version (the predictor's "pick an analyzed video"), or null.</summary>
    public async Task<string?> AnalysisAsync(long videoId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = options.Value.AnalysisVersion;
        return await db.AnalyzedVideos.AsNoTracking().Where(a => a.VideoId == videoId && a.AnalysisVersion == version)
            .Select(a => a.VisualAnalysis).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Videos with an analysis of the configured version, newest analyses first; <paramref name="text"/> matches the
    /// platform video id (prefix) or the caption (anywhere, case-insensitive).
    /// </summary>
    public async Task<IReadOnlyList<AnalyzedVideoChoice>> SearchAnalyzedAsync(string? text, int limit, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var version = options.Value.AnalysisVersion;
        var q = db.AnalyzedVideos.AsNoTracking().Where(a => a.AnalysisVersion == version);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var t = text.Trim();
            var escaped = t.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
            q = q.Where(a => EF.Functions.Like(a.Video!.PlatformVideoId, escaped + "%") || EF.Functions.ILike(a.Video!.Description ?? "", "%" + escaped + "%"));
        }
        return await q.OrderByDescending(a => a.Id).Take(limit)
            .Select(a => new AnalyzedVideoChoice(a.VideoId, a.Video!.PlatformVideoId, a.Video.AuthorHandle, a.Video.Description, a.FeatureCount, a.Video.Ratings.Any()))
            .ToListAsync(ct);
    }

    private sealed record StoredWeights(double? Intercept, IReadOnlyList<FeatureWeight>? Weights);

    // The verdict is judged again under today's rule, so versions stored before it (or under another) read alike.
    private PreferenceVersionRow VersionRow(ModelVersion v, PreferenceVersionMetrics? m)
    {
        var assessment = m is null ? null : ModelVerdict.Of(m.Test.Mae, m.Test.R2, m.MeanBaseline.Mae, options.Value.VerdictRule);
        return new(
            v.Id, v.VersionTag, v.Status, v.IsActive, v.TrainedAt, v.TrainingVideoCount, v.Trainer, m?.Milestone,
            m?.Test.Mae, m?.Test.Rmse, m?.Test.R2, m?.CrossValidation?.MaeMean, m?.CrossValidation?.MaeStd, assessment?.Summary, v.Notes)
        {
            Assessment = assessment,
        };
    }

    private static PreferenceRunRow RunRow(TrainingRun r, PreferenceTrainingResult? result, Dictionary<long, string> tags) => new(
        r.Id, r.Trigger, r.Status, r.StartedAt, r.FinishedAt, r.VideoCount, result?.Plan.Milestone,
        r.ModelVersionId is { } v && tags.TryGetValue(v, out var tag) ? tag : null,
        result?.Selected?.Test.Mae, result?.Selected?.Test.R2, r.GateDecision,
        Parse<DataTriggerDetails>(r.TriggerDetails)?.Fired ?? [], r.Error);


    /// <summary>Stored JSON that does not fit (an older shape) reads as missing rather than breaking a page.</summary>
    private static T? Parse<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json) || json == "{}")
            return null;
        try
        {
            return JsonSerializer.Deserialize<T>(json, TrainingJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
