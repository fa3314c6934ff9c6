using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Data.Queries;

/// <summary>One training run as the run-history table shows it.</summary>
public sealed record TrainingRunRow(
    long Id, RunTrigger Trigger, RunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int VideoCount,
    GateVerdict? GateDecision, IReadOnlyList<string> GateReasons, double? Accuracy, double? MacroF1, string? VersionTag, string? Error,
    IReadOnlyList<StepTiming>? Steps = null)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;

    /// <summary>The trainer's wire name (<c>auto → lightgbm</c> when the auto trainer chose one); null when unknown.</summary>
    public string? Trainer { get; init; }

    public string? FeatureSet { get; init; }

    /// <summary>Preference runs: see the Training project's PreferenceQueries for their figures.</summary>
    public ModelKind Kind { get; init; } = ModelKind.Engagement;
}

/// <summary>The parts of a run's stored result (training_runs.metrics) the detail view shows.</summary>
public sealed record RunMetrics(
    string? Trainer, string? FeatureSet, string? Split, int RowCount, int TrainCount, int TestCount,
    ClassificationMetrics Test, double TrainAccuracy, ClassificationMetrics? MajorityBaseline,
    CrossValidationSummary? CrossValidation, IReadOnlyList<FeatureLeakage>? Leakage, double? ActiveAccuracyOnTestRows,
    ClassificationMetrics? StratifiedRandomBaseline = null, IReadOnlyList<FeatureImportance>? FeatureImportance = null,
    AutoSearchSummary? Search = null)
{
    /// <summary>The rows' mode and which videos gave them (null for the bundled set and runs stored before).</summary>
    public RowsReport? Rows { get; init; }
    /// <summary>The test videos as first seen, tier as matured: the accuracy the model is served at.</summary>
    public ServedAccuracy? Served { get; init; }
    /// <summary>Views at observation × typical growth, on the same videos as <see cref="Served"/>.</summary>
    public ClassificationMetrics? GrowthBaseline { get; init; }

    /// <summary>An engagement run's stored result, or null when there is none (or an older shape).</summary>
    public static RunMetrics? Read(string? json) => StoredJson.Read<RunMetrics>(json);

    /// <summary>
    /// The trainer in the registry's vocabulary (<c>forest</c>, not the stored member name <c>fastForest</c>), prefixed
    /// <c>auto →</c> when the auto trainer chose it.
    /// </summary>
    public string? TrainerName => TrainerNames.Display(Trainer, Search is not null);
}

/// <summary>Trainer names as the pages show them: one vocabulary, the wire names the CLI, API and registry use.</summary>
public static class TrainerNames
{
    /// <summary>A stored trainer name (member name such as <c>fastForest</c>, or a wire name) as its wire name.</summary>
    public static string? Wire(string? stored) =>
        stored is null ? null
        : WireNames.TryParse<TrainerKind>(stored, out var kind) || Enum.TryParse(stored, ignoreCase: true, out kind) ? kind.Wire()
        : stored;

    public static string? Display(string? stored, bool searched) =>
        Wire(stored) is { } name ? (searched ? $"{TrainerKind.Auto.Wire()} → {name}" : name) : null;
}

/// <summary>Tier counts of all rows, the training part and the test part.</summary>
public sealed record TierDistribution(int[] All, int[] Train, int[] Test);

/// <summary>One page of the run history, newest first, and how many runs there are in all.</summary>
public sealed record RunPage(IReadOnlyList<TrainingRunRow> Rows, int Total);

public sealed record TrainingRunDetail(
    TrainingRunRow Run, IReadOnlyList<string> Warnings, RunMetrics? Metrics, TierDistribution? Tiers, IReadOnlyList<StepTiming> Timings);

/// <summary>A registry version with its headline metrics.</summary>
public sealed record ModelVersionRow(
    long Id, ModelKind Kind, string Tag, VersionStatus Status, bool IsActive, DateTimeOffset TrainedAt, int Rows, string FeatureSet,
    string? TierScheme, string Trainer, string? Notes, double? Accuracy, double? MacroF1, double? Kappa)
{
    /// <summary>Preference versions: test MAE and R² on the 0–1 score scale (the classification figures are null).</summary>
    public double? Mae { get; init; }
    public double? R2 { get; init; }
    /// <summary>Engagement versions: accuracy on the test videos as first seen, tier as matured (null when the version has none).</summary>
    public double? ServedAccuracy { get; init; }
}

/// <summary>
/// An engagement version's metrics, as stored in model_versions.metrics (jsonb) by the training run and read by the
/// pages. Cross-project contract: the property names are the stored JSON's, so versions stored before stay readable.
/// </summary>
public sealed record EngagementVersionMetrics(
    ClassificationMetrics Test, double TrainAccuracy, ClassificationMetrics? MajorityBaseline, CrossValidationSummary? CrossValidation,
    GateDecision? Gate, double? ActiveAccuracyOnTestRows, ClassificationMetrics? StratifiedRandomBaseline = null,
    IReadOnlyList<FeatureImportance>? FeatureImportance = null)
{
    /// <summary>Accuracy at serving: the test videos as first seen, tier as matured (null in versions stored before, or without such videos).</summary>
    public ServedAccuracy? Served { get; init; }
    /// <summary>The growth baseline's figures on the same videos (null when the run had no observations).</summary>
    public ClassificationMetrics? GrowthBaseline { get; init; }
    /// <summary>The rows' mode and observation ages (null for the bundled set and versions stored before).</summary>
    public RowsReport? Rows { get; init; }
    /// <summary>The accuracy the version is served at: <see cref="Served"/> where it exists, else the test accuracy.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public double ServedOrTestAccuracy => Served?.Metrics.Accuracy ?? Test.Accuracy;
}

public sealed record ModelVersionDetail(ModelVersionRow Version, EngagementVersionMetrics? Metrics, FeatureWeights? Weights);

/// <summary>The latest calibration baseline's age, for the stale-baseline warning.</summary>
/// <param name="VideosNow">From 100,000 videos on, PostgreSQL's row estimate rather than a count.</param>
public sealed record BaselineAge(DateTimeOffset? ComputedAt, int VideoCount, long VideosNow);

/// <summary>Read side of training runs and the model registry for pages and the API.</summary>
public interface ITrainingQueries
{
    /// <summary>The latest runs, newest first; of one kind when <paramref name="kind"/> is given.</summary>
    Task<IReadOnlyList<TrainingRunRow>> RecentRunsAsync(int take, ModelKind? kind = null, CancellationToken ct = default);
    /// <summary>Runs <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/>, newest first, of one kind.</summary>
    Task<RunPage> RunPageAsync(ModelKind kind, int skip, int take, CancellationToken ct = default);
    Task<TrainingRunRow?> RunByRequestAsync(Guid requestId, CancellationToken ct = default);
    Task<TrainingRunDetail?> RunAsync(long id, CancellationToken ct = default);
    /// <summary>All versions of every kind, newest first.</summary>
    Task<IReadOnlyList<ModelVersionRow>> VersionsAsync(CancellationToken ct = default);
    Task<ModelVersionDetail?> VersionAsync(string tag, CancellationToken ct = default);
    Task<IReadOnlyList<ActivationChange>> AuditAsync(ModelKind kind, CancellationToken ct = default);
    Task<BaselineAge> BaselineAgeAsync(CancellationToken ct = default);
}

public sealed class TrainingQueries(IDbContextFactory<ViralityDbContext> contexts, ModelRegistryStore registry) : ITrainingQueries
{
    // The run table's columns only. Each run's stored result is ~12 KB of JSON, of which the table shows four values:
    // reading whole rows and parsing them cost the Training page ~2.5 MB of allocation per render.
    private const string RecentRunsSql = """
        SELECT r.id, r.kind, r.trigger, r.status, r.started_at, r.finished_at, r.video_count, r.gate_decision, r.gate_reasons,
               r.error, v.version_tag, r.timings::text,
               (m.test ->> 'accuracy')::float8, (m.test ->> 'macroF1')::float8,
               m.trainer, m."featureSet", jsonb_typeof(m.search) = 'object',
               r.options -> 'request' ->> 'trainer', r.options -> 'request' ->> 'featureSet',
               m.test IS NOT NULL OR m.trainer IS NOT NULL,
               (SELECT count(*)::int FROM training_runs c WHERE @kind::text IS NULL OR c.kind = @kind)
        FROM training_runs r
        -- One decompression of the stored result per run: each -> on the column itself unpacked all 12 KB again.
        LEFT JOIN LATERAL jsonb_to_record(r.metrics) AS m(trainer text, "featureSet" text, test jsonb, search jsonb) ON true
        LEFT JOIN model_versions v ON v.id = r.model_version_id
        WHERE @kind::text IS NULL OR r.kind = @kind
        ORDER BY r.id DESC
        LIMIT @take OFFSET @skip
        """;

    public async Task<IReadOnlyList<TrainingRunRow>> RecentRunsAsync(int take, ModelKind? kind = null, CancellationToken ct = default) =>
        (await RunsAsync(kind, 0, take, ct)).Rows;

    // The page reads one page of runs: each row unpacks its run's stored result, so fifty rows cost five times ten.
    public Task<RunPage> RunPageAsync(ModelKind kind, int skip, int take, CancellationToken ct = default) => RunsAsync(kind, skip, take, ct);

    private async Task<RunPage> RunsAsync(ModelKind? kind, int skip, int take, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(RecentRunsSql, conn);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("kind", NpgsqlDbType.Text) { TypedValue = kind?.Wire() });
        cmd.Parameters.AddWithValue("take", take);
        cmd.Parameters.AddWithValue("skip", skip);
        var rows = new List<TrainingRunRow>();
        var total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            total = reader.GetInt32(20);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            double? Number(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            var runKind = WireNames.Parse<ModelKind>(reader.GetString(1));
            var hasResult = runKind == ModelKind.Engagement && !reader.IsDBNull(19) && reader.GetBoolean(19);
            // A run without a result (failed, or still running) shows what it was asked for.
            var trainer = hasResult ? TrainerNames.Display(Text(14), !reader.IsDBNull(16) && reader.GetBoolean(16))
                : runKind == ModelKind.Engagement ? TrainerNames.Wire(Text(17)) : null;
            rows.Add(new TrainingRunRow(
                reader.GetInt64(0), WireNames.Parse<RunTrigger>(reader.GetString(2)), WireNames.Parse<RunStatus>(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : WireNames.Parse<GateVerdict>(reader.GetString(7)), reader.GetFieldValue<string[]>(8),
                Number(12), Number(13), Text(10), Text(9), Parse<List<StepTiming>>(Text(11)))
            {
                Kind = runKind,
                Trainer = trainer,
                FeatureSet = hasResult ? Text(15) : runKind == ModelKind.Engagement ? Text(18) : null,
            });
        }
        if (rows.Count == 0 && skip > 0)
        {
            // A page past the last one has no row to carry the total: count on its own.
            await reader.DisposeAsync();
            total = await db.TrainingRuns.CountAsync(r => kind == null || r.Kind == kind, ct);
        }
        return new RunPage(rows, total);
    }

    public async Task<TrainingRunRow?> RunByRequestAsync(Guid requestId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await WithTag(db, db.TrainingRuns.AsNoTracking().Where(r => r.RequestId == requestId).OrderByDescending(r => r.Id)).FirstOrDefaultAsync(ct);
        return found is null ? null : Row(found.Run, found.Tags);
    }

    /// <summary>A run with its version's tag, in one round trip: the Training page asks for its selected run on every render.</summary>
    private static IQueryable<RunWithTag> WithTag(ViralityDbContext db, IQueryable<TrainingRun> runs) =>
        runs.Select(r => new RunWithTag(r, db.ModelVersions.Where(v => v.Id == r.ModelVersionId).Select(v => v.VersionTag).FirstOrDefault()));

    private sealed record RunWithTag(TrainingRun Run, string? Tag)
    {
        public Dictionary<long, string> Tags => Run.ModelVersionId is long id && Tag is not null ? new() { [id] = Tag } : [];
    }

    public async Task<TrainingRunDetail?> RunAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await WithTag(db, db.TrainingRuns.AsNoTracking().Where(r => r.Id == id)).SingleOrDefaultAsync(ct);
        if (found is null)
            return null;
        var run = found.Run;
        return new TrainingRunDetail(
            Row(run, found.Tags),
            run.Warnings,
            run.Kind == ModelKind.Engagement ? RunMetrics.Read(run.Metrics) : null,
            Parse<TierDistribution>(run.TierDistribution),
            Parse<List<StepTiming>>(run.Timings) ?? []);
    }

    public async Task<IReadOnlyList<ModelVersionRow>> VersionsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var versions = await db.ModelVersions.AsNoTracking()
            .OrderByDescending(v => v.TrainedAt).ThenByDescending(v => v.Id)
            .Select(v => new { v.Id, v.Kind, v.VersionTag, v.Status, v.IsActive, v.TrainedAt, v.TrainingVideoCount, v.FeatureSet, v.TierScheme, v.Trainer, v.Notes, v.Metrics })
            .ToListAsync(ct);
        return versions.Select(v => VersionRow(v.Id, v.Kind, v.VersionTag, v.Status, v.IsActive, v.TrainedAt, v.TrainingVideoCount, v.FeatureSet, v.TierScheme, v.Trainer, v.Notes, v.Metrics)).ToList();
    }

    public async Task<ModelVersionDetail?> VersionAsync(string tag, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var v = await db.ModelVersions.AsNoTracking().Where(m => m.VersionTag == tag)
            .Select(m => new { m.Id, m.Kind, m.VersionTag, m.Status, m.IsActive, m.TrainedAt, m.TrainingVideoCount, m.FeatureSet, m.TierScheme, m.Trainer, m.Notes, m.Metrics, m.FeatureWeights })
            .SingleOrDefaultAsync(ct);
        if (v is null)
            return null;
        var metrics = v.Kind == ModelKind.Engagement ? Parse<EngagementVersionMetrics>(v.Metrics) : null;
        var weights = Parse<FeatureWeights>(v.FeatureWeights);
        return new ModelVersionDetail(
            VersionRow(v.Id, v.Kind, v.VersionTag, v.Status, v.IsActive, v.TrainedAt, v.TrainingVideoCount, v.FeatureSet, v.TierScheme, v.Trainer, v.Notes, v.Metrics),
            metrics,
            weights is { FeatureNames: not null, Weights: not null } ? weights : null);
    }

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(ModelKind kind, CancellationToken ct = default) => registry.AuditAsync(kind, ct);

    public async Task<BaselineAge> BaselineAgeAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await db.CalibrationBaselines.AsNoTracking().OrderByDescending(b => b.ComputedAt)
            .Select(b => new { b.ComputedAt, b.VideoCount }).FirstOrDefaultAsync(ct);
        // Only compared against the baseline's count with a 20 % margin: the planner's estimate will do for a large
        // table, where count(*) would read every row (~0.1 s per million) on each overview render.
        var estimate = await StatsQueries.EstimateVideosAsync(db, ct);
        var videos = estimate >= StatsQueries.EstimateAbove ? estimate : await db.ScrapedVideos.LongCountAsync(ct);
        return new BaselineAge(latest?.ComputedAt, latest?.VideoCount ?? 0, videos);
    }

    /// <summary>Each kind stores its own metrics shape; reading one as the other would show zeros.</summary>
    private static ModelVersionRow VersionRow(long id, ModelKind kind, string tag, VersionStatus status, bool active, DateTimeOffset trainedAt, int rows,
        string featureSet, string? scheme, string trainer, string? notes, string metricsJson)
    {
        if (kind != ModelKind.Engagement)
        {
            var p = Parse<PreferenceHeadline>(metricsJson)?.Test;
            return new(id, kind, tag, status, active, trainedAt, rows, featureSet, scheme, trainer, notes, null, null, null) { Mae = p?.Mae, R2 = p?.R2 };
        }
        var m = Parse<EngagementVersionMetrics>(metricsJson);
        return new(id, kind, tag, status, active, trainedAt, rows, featureSet, scheme, trainer, notes, m?.Test.Accuracy, m?.Test.MacroF1, m?.Test.QuadraticWeightedKappa)
        {
            ServedAccuracy = m?.Served?.Metrics.Accuracy,
        };
    }

    private sealed record PreferenceHeadline(PreferenceTest? Test);
    private sealed record PreferenceTest(double Mae, double R2);


    private static TrainingRunRow Row(TrainingRun r, Dictionary<long, string> tags)
    {
        var headline = r.Kind == ModelKind.Engagement ? Parse<RunTestOnly>(r.Metrics) : null;
        var test = headline?.Test;
        // A run without a result (failed, or still running) shows what it was asked for.
        var request = headline is null && r.Kind == ModelKind.Engagement ? Parse<RunOptionsOnly>(r.Options)?.Request : null;
        return new TrainingRunRow(r.Id, r.Trigger, r.Status, r.StartedAt, r.FinishedAt, r.VideoCount, r.GateDecision, r.GateReasons,
            test?.Accuracy, test?.MacroF1, r.ModelVersionId is { } v && tags.TryGetValue(v, out var tag) ? tag : null, r.Error,
            Parse<List<StepTiming>>(r.Timings))
        {
            Kind = r.Kind,
            Trainer = headline is not null ? TrainerNames.Display(headline.Trainer, headline.Search is not null) : TrainerNames.Wire(request?.Trainer),
            FeatureSet = headline?.FeatureSet ?? request?.FeatureSet,
        };
    }

    private sealed record RunTestOnly(TestFigures? Test, string? Trainer, string? FeatureSet, SearchOnly? Search);
    private sealed record SearchOnly(int Chosen);
    private sealed record RunOptionsOnly(RequestOnly? Request);
    private sealed record RequestOnly(string? Trainer, string? FeatureSet);
    private sealed record TestFigures(double Accuracy, double MacroF1);

    /// <summary>Stored JSON that does not fit (an older shape) reads as missing rather than breaking a page.</summary>
    private static T? Parse<T>(string? json) where T : class => StoredJson.Read<T>(json);
}
