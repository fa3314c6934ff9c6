using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Scheduling;

namespace ViralityDashboard.Tests.Components;

/// <summary>Realistic registry and run data, and fakes of the page-facing services that record what pages ask of them.</summary>
public sealed class FakeTraining : ITrainingQueries, ITrainingLauncher, IModelActivation, IRetrainSchedule
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public List<ModelVersionRow> Versions { get; } =
    [
        new(3, ModelKind.Engagement, "eng-20261122-030000-r3", VersionStatus.Rejected, false, T0.AddDays(2), 4812, "seed15", "views", "forest", "Rejected by the gate", 0.58, 0.55, 0.71),
        new(2, ModelKind.Engagement, "eng-20261121-030000-r2", VersionStatus.Active, true, T0.AddDays(1), 4800, "seed15", "views", "lbfgs", null, 0.71, 0.69, 0.86) { ServedAccuracy = 0.66 },
        new(1, ModelKind.Engagement, "eng-20261120-030000-r1", VersionStatus.Inactive, false, T0, 4790, "seed15", "views", "lbfgs", null, 0.68, 0.66, 0.83),
    ];

    public List<ActivationChange> Audit { get; } =
    [
        new(1, ModelKind.Engagement, ActivationAction.Activate, null, "eng-20261120-030000-r1", "training:schedule", T0, "Accepted by the gate"),
        new(2, ModelKind.Engagement, ActivationAction.Activate, "eng-20261120-030000-r1", "eng-20261121-030000-r2", "training:schedule", T0.AddDays(1), "Accepted by the gate"),
        new(3, ModelKind.Preference, ActivationAction.Activate, null, FakePreference.Previous, "owner", T0.AddDays(1), "Accepted by the gate"),
        new(4, ModelKind.Preference, ActivationAction.Activate, FakePreference.Previous, FakePreference.Active, "owner", T0.AddDays(2), "Accepted by the gate"),
    ];

    public List<TrainingRunRow> Runs { get; } =
    [
        new(3, RunTrigger.Schedule, RunStatus.SkippedByGate, T0.AddDays(2), T0.AddDays(2).AddSeconds(14), 4812, GateVerdict.Rejected, ["Test accuracy 58.0% is below the gate of 60.0%."], 0.58, 0.55, "eng-20261122-030000-r3", null) { Trainer = "auto → lightgbm", FeatureSet = "seed15" },
        new(2, RunTrigger.Manual, RunStatus.Completed, T0.AddDays(1), T0.AddDays(1).AddSeconds(9.5), 4800, GateVerdict.Accepted, ["Beats the majority-class baseline (20.0%)."], 0.71, 0.69, "eng-20261121-030000-r2", null),
    ];

    public ScheduleInfo Schedule { get; set; } = new("0 0 3 * * ?", T0.AddDays(5), "Normal");
    public List<TrainingRequest> Launched { get; } = [];
    public List<(string Tag, string Who, string Why)> Activated { get; } = [];
    public List<(string Who, string Why)> RolledBack { get; } = [];
    public List<ModelKind> RolledBackKinds { get; } = [];
    public List<string?> RolledBackFeatureSets { get; } = [];
    /// <summary>What the registry answers for a preview: the page must show this, not work out its own.</summary>
    public Func<string, PlannedChange> ActivatePreview { get; set; } = tag => tag.StartsWith("pref-", StringComparison.Ordinal)
        ? new(ModelKind.Preference, "analysis-v1", FakePreference.Active, tag)
        : new(ModelKind.Engagement, "seed15", "eng-20261121-030000-r2", tag);
    public Func<ModelKind, string?, PlannedChange> RollbackPreview { get; set; } = (kind, set) => kind == ModelKind.Preference
        ? new(kind, "analysis-v1", FakePreference.Active, FakePreference.Previous)
        : new(kind, set ?? "seed15", "eng-20261121-030000-r2", "eng-20261120-030000-r1");
    public List<(ModelKind Kind, string? FeatureSet)> RollbackPreviews { get; } = [];
    public List<string> Rescheduled { get; } = [];
    /// <summary>What RunByRequestAsync answers for a launched run; null while it is queued.</summary>
    public TrainingRunRow? LaunchedRun { get; set; }

    public static ClassificationMetrics Metrics(double accuracy) => new(
        960, accuracy, accuracy - 0.02, 0.86, 0.97, 0.71,
        [.. Enumerable.Range(1, 5).Select(t => new ClassMetrics(t, 0.70 + t * 0.01, 0.68, 0.69, 192))],
        [[150, 30, 8, 3, 1], [28, 120, 35, 7, 2], [5, 33, 118, 30, 6], [2, 6, 32, 130, 22], [0, 1, 5, 25, 161]]);

    public static FeatureWeights Weights(float scale) => new(
        ["log_views", "like_rate", "share_rate", "comment_rate", "duration"],
        [.. Enumerable.Range(0, 5).Select(t => new[] { scale * (t - 2), 0.5f * scale, 0.8f, -0.2f, 0.1f * t })],
        [0, 0, 0, 0, 0]);

    public static AutoSearchSummary AutoSearch { get; } = new(
    [
        new("lbfgs", new Dictionary<string, string> { ["classWeights"] = "balanced", ["l2"] = "1" }, 0.512, 0.83, 410),
        new("lightgbm", new Dictionary<string, string> { ["classWeights"] = "balanced", ["numLeaves"] = "15", ["learningRate"] = "0.05" }, 0.601, 0.87, 2950),
        new("forest", new Dictionary<string, string> { ["classWeights"] = "balanced", ["trees"] = "100" }, 0.574, 0.86, 5120),
    ], 1, 3, 3840, null, false);

    public Task<IReadOnlyList<TrainingRunRow>> RecentRunsAsync(int take, ModelKind? kind = null, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<TrainingRunRow>>(Runs.Where(r => kind is null || r.Kind == kind).Take(take).ToList());
    public Task<RunPage> RunPageAsync(ModelKind kind, int skip, int take, CancellationToken ct = default)
    {
        var runs = Runs.Where(r => r.Kind == kind).ToList();
        return Task.FromResult(new RunPage(runs.Skip(skip).Take(take).ToList(), runs.Count));
    }
    public Task<TrainingRunRow?> RunByRequestAsync(Guid requestId, CancellationToken ct = default) => Task.FromResult(LaunchedRun);

    public Task<TrainingRunDetail?> RunAsync(long id, CancellationToken ct = default)
    {
        var run = Runs.FirstOrDefault(r => r.Id == id) ?? LaunchedRun;
        if (run is null)
            return Task.FromResult<TrainingRunDetail?>(null);
        var metrics = new RunMetrics("lbfgs", "seed15", "stratified", 4800, 3840, 960, Metrics(run.Accuracy ?? 0.7), 0.74, Metrics(0.2),
            new CrossValidationSummary(5, 0.70, 0.012, 0.68, 0.015, [0.69, 0.70, 0.71, 0.70, 0.72]),
            [new FeatureLeakage("like_rate", 0.41, 0.20, true, true, "like_rate alone reaches 41.0% (baseline 20.0%) and is computed from the label's source.")], 0.70);
        if (run.Trainer?.StartsWith("auto") == true)
            // As stored: the member name, and the auto trainer's candidates.
            metrics = metrics with { Trainer = "lightGbm", Search = AutoSearch };
        return Task.FromResult<TrainingRunDetail?>(new TrainingRunDetail(run, ["Leakage: like_rate is computed from the label's source."], metrics,
            new TierDistribution([960, 960, 960, 960, 960], [768, 768, 768, 768, 768], [192, 192, 192, 192, 192]),
            [new StepTiming("read", 412), new StepTiming("fit", 3120), new StepTiming("cross-validate", 5200), new StepTiming("store", 40)]));
    }

    public Task<IReadOnlyList<ModelVersionRow>> VersionsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<ModelVersionRow>>(Versions.ToList());

    public Task<ModelVersionDetail?> VersionAsync(string tag, CancellationToken ct = default)
    {
        var v = Versions.FirstOrDefault(x => x.Tag == tag);
        return Task.FromResult(v is null ? null : new ModelVersionDetail(v,
            new EngagementVersionMetrics(Metrics(v.Accuracy ?? 0), 0.74, Metrics(0.2), null, new GateDecision(true, []), null)
            {
                Served = v.ServedAccuracy is { } served ? new ServedAccuracy(Metrics(served), 200) : null,
                Rows = v.ServedAccuracy is null ? null : new RowsReport(TrainingRowsMode.PointInTime, 4800, 4800, 120, 30, 3, 22, 140),
            },
            v.Trainer == "lbfgs" ? Weights((float)v.Id) : null));
    }

    public Task<IReadOnlyList<ActivationChange>> AuditAsync(ModelKind kind, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<ActivationChange>>(Audit.Where(a => a.Kind == kind).ToList());
    public Task<BaselineAge> BaselineAgeAsync(CancellationToken ct = default) => Task.FromResult(new BaselineAge(T0.AddDays(-60), 5000, 5000));

    public Task<Guid> LaunchAsync(TrainingRequest request, CancellationToken ct = default)
    {
        Launched.Add(request);
        return Task.FromResult(Guid.NewGuid());
    }

    /// <summary>Launched runs waiting for their turn, as the launcher would report them.</summary>
    public List<ViralityDashboard.Training.Scheduling.QueuedRun> Queued { get; } = [];

    public Task<IReadOnlyList<ViralityDashboard.Training.Scheduling.QueuedRun>> QueuedAsync(ModelKind kind, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ViralityDashboard.Training.Scheduling.QueuedRun>>(Queued.ToList());

    public Task<ActivationChange> ActivateAsync(string tag, string changedBy, string reason, CancellationToken ct = default)
    {
        Activated.Add((tag, changedBy, reason));
        return Task.FromResult(new ActivationChange(9, ModelKind.Engagement, ActivationAction.Activate, Versions.First(v => v.IsActive).Tag, tag, changedBy, T0.AddDays(3), reason));
    }

    public Task<ActivationChange> RollbackAsync(ModelKind kind, string changedBy, string reason, CancellationToken ct = default, string? featureSet = null)
    {
        RolledBack.Add((changedBy, reason));
        RolledBackKinds.Add(kind);
        RolledBackFeatureSets.Add(featureSet);
        return Task.FromResult(new ActivationChange(10, ModelKind.Engagement, ActivationAction.Rollback, "eng-20261121-030000-r2", "eng-20261120-030000-r1", changedBy, T0.AddDays(3), reason));
    }

    public Task<PlannedChange> PreviewActivateAsync(string tag, CancellationToken ct = default) => Task.FromResult(ActivatePreview(tag));

    public Task<PlannedChange> PreviewRollbackAsync(ModelKind kind, string? featureSet, CancellationToken ct = default)
    {
        RollbackPreviews.Add((kind, featureSet));
        return Task.FromResult(RollbackPreview(kind, featureSet));
    }

    public Task<ScheduleInfo?> GetAsync(CancellationToken ct = default) => Task.FromResult<ScheduleInfo?>(Schedule);

    public Task<ScheduleInfo> RescheduleAsync(string cron, ScheduleChoices? choices = null, CancellationToken ct = default)
    {
        Rescheduled.Add(cron);
        Schedule = Schedule with { Cron = cron, Choices = choices ?? new() };
        return Task.FromResult(Schedule);
    }

    public void Register(IServiceCollection services)
    {
        services.AddSingleton<ITrainingQueries>(this);
        services.AddSingleton<ITrainingLauncher>(this);
        services.AddSingleton<IModelActivation>(this);
        services.AddSingleton<IRetrainSchedule>(this);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ViralityDashboard.Account.OwnerGuard>();
        // The Models page and the Overview show realized weeks too; empty unless a test registers its own.
        services.AddSingleton<ViralityDashboard.Training.Monitoring.IMonitoringQueries>(new FakeMonitoring());
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new ViralityDashboard.Training.Monitoring.MonitoringOptions()));
        new FakeChallengers().Register(services); // the challengers and drift panels, empty
    }
}
