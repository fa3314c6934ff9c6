using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components;

/// <summary>
/// The preference model's page-facing reads with realistic figures (those the Training README measured on demo data:
/// 300 rows, ridge, test MAE 0.097, R² 0.640), recording nothing: launches, activations and the audit go through <see cref="FakeTraining"/>.
/// </summary>
public sealed class FakePreference : IPreferenceQueries, IRetrainTriggerCheck
{
    private static readonly DateTimeOffset T0 = FakeTraining.T0;
    public const string Active = "pref-20261122-030000-r7", Previous = "pref-20261121-030000-r5", Rejected = "pref-20261123-030000-r9";

    public FakePreference() => Status = new(300, new PreferenceRowFilter(), MilestonePlanner.Plan(300, true), Versions[1]);

    public PreferenceStatus Status { get; set; }

    public List<PreferenceVersionRow> Versions { get; } =
    [
        Version(9, Rejected, VersionStatus.Rejected, false, T0.AddDays(3), 350, "ridge", PreferenceMilestone.Retrain, 0.112, 0.139, 0.571, 0.109, 0.012, "Rejected by the gate: test MAE 0.112 is worse than the active version's 0.097 on the same test rows."),
        Version(7, Active, VersionStatus.Active, true, T0.AddDays(2), 300, "ridge", PreferenceMilestone.Retrain, 0.097, 0.125, 0.640, 0.095, 0.010, null),
        Version(5, Previous, VersionStatus.Inactive, false, T0.AddDays(1), 200, "ridge", PreferenceMilestone.FirstModel, 0.104, 0.129, 0.563, 0.118, 0.011, null),
    ];

    public List<PreferenceRunRow> Runs { get; } =
    [
        new(9, RunTrigger.Data, RunStatus.SkippedByGate, T0.AddDays(3), T0.AddDays(3).AddSeconds(1.4), 350, PreferenceMilestone.Retrain, Rejected, 0.112, 0.571, GateVerdict.Rejected, [RetrainTriggerKind.NewRatings], null),
        new(7, RunTrigger.Manual, RunStatus.Completed, T0.AddDays(2), T0.AddDays(2).AddSeconds(1.1), 300, PreferenceMilestone.Retrain, Active, 0.097, 0.640, GateVerdict.Accepted, [], null),
        new(6, RunTrigger.Manual, RunStatus.Completed, T0.AddDays(1.5), T0.AddDays(1.5).AddSeconds(0.3), 150, PreferenceMilestone.Correlation, null, null, null, null, [], null),
    ];

    public RetrainTriggerEvaluation Triggers { get; set; } = new(false,
        "12 new ratings since pref-20261122-030000-r7 (threshold 50).", Active, 12,
        new RetrainCheck(false,
        [
            new(RetrainTriggerKind.NewRatings, false, 12, 50, 12, "12 new ratings since the active version (threshold 50)."),
            new(RetrainTriggerKind.PerformanceDegradation, false, 0, 0.05, 12, "Only 12 newer ratings; degradation is judged from 20."),
            new(RetrainTriggerKind.FeatureDrift, false, 0.031, 0.1, 12, "Mean PSI 0.031 over 118 features (threshold 0.1).",
                [new("script.replicability.score", 0.142), new("casting.actingSkillRequired", 0.061), new("audio.soundEffects_count", 0.004)]),
        ]), null);

    public static PreferenceVersionRow Version(long id, string tag, VersionStatus status, bool active, DateTimeOffset at, int rows, string trainer, PreferenceMilestone milestone,
        double mae, double rmse, double r2, double cv, double cvStd, string? notes) =>
        new(id, tag, status, active, at, rows, trainer, milestone, mae, rmse, r2, cv, cvStd, ModelVerdict.Of(mae, r2, MeanBaselineMae).Summary, notes)
        {
            Assessment = ModelVerdict.Of(mae, r2, MeanBaselineMae),
        };

    /// <summary>The mean baseline's test MAE in these fakes.</summary>
    public const double MeanBaselineMae = 0.176;

    /// <summary>The README's correlations on the 300 demo rows (p-values from n = 300), plus one the expectations list misses.</summary>
    public static FeatureImportanceSnapshot Snapshot(int rows = 300)
    {
        (string Feature, double R)[] measured =
        [
            ("script.replicability.score", 0.69), ("standalone.worksWithoutContext", 0.52), ("script.humor.comedyTiming", 0.47),
            ("flexibility.swappableCore", 0.34), ("hook.visualSurprise", 0.12),
            ("casting.actingSkillRequired", -0.58), ("trends.memeDependent", -0.44), ("flexibility.industryLock", -0.36), ("production.lighting_count", -0.05),
        ];
        var correlations = measured.Select(m =>
        {
            var p = CorrelationAnalysis.PValue(m.R, rows);
            return new FeatureCorrelation(m.Feature, m.R, p, CorrelationAnalysis.Classify(m.R, p));
        }).ToList();
        return CorrelationAnalysis.Snapshot(rows, correlations);
    }

    public static ModelEvaluation Evaluation(PreferenceModelKind kind, double mae, double r2, double cv, int features = 118) => new(
        kind, features,
        new ErrorMetrics(60, mae, mae * 1.29, r2),
        new ErrorMetrics(240, mae * 0.8, mae * 1.05, r2 + 0.1),
        new ErrorMetrics(60, MeanBaselineMae, 0.209, -0.004),
        new CrossValidationResult(5, cv, 0.010, [cv - 0.01, cv, cv + 0.012, cv - 0.004, cv + 0.002]),
        ModelVerdict.Of(mae, r2, MeanBaselineMae),
        kind == PreferenceModelKind.Ridge ? 0.21 : null,
        [new("script.replicability.score", 0.31), new("casting.actingSkillRequired", -0.24), new("standalone.worksWithoutContext", 0.18)],
        new ErrorAnalysis(0.2,
            [new("1042", 0.30, 0.58, 0.28), new("1107", 0.40, 0.62, 0.22)],
            [new("1213", 0.90, 0.64, -0.26)]));

    public static PreferenceTrainingResult Result(PreferenceMilestone milestone = PreferenceMilestone.Retrain, bool forest = false)
    {
        var rows = milestone == PreferenceMilestone.ModelComparison ? 600 : 300;
        var ridge = Evaluation(PreferenceModelKind.Ridge, 0.097, 0.640, 0.095);
        IReadOnlyList<ModelEvaluation> candidates = forest ? [ridge, Evaluation(PreferenceModelKind.RandomForest, 0.093, 0.620, 0.108)] : [ridge];
        return new PreferenceTrainingResult(rows, MilestonePlanner.Plan(rows, true), 42, PreferenceSplitKind.Hash, 240, 60,
            new FeatureTypeCounts(412, 280, 60, 21, 51, 12, 301),
            Snapshot(rows), null, Enumerable.Range(0, 183).Select(i => $"weak.feature{i}").ToList(), PreferenceModelKind.Ridge, candidates,
            [
                new DimensionEvaluation("hook", 300, Evaluation(PreferenceModelKind.Ridge, 0.121, 0.48, 0.125), new NormalizationConfig(NumericScaling.MinMax, [])),
                new DimensionEvaluation("payoff", 300, Evaluation(PreferenceModelKind.Ridge, 0.163, 0.31, 0.170), new NormalizationConfig(NumericScaling.MinMax, [])),
                new DimensionEvaluation("pacing", 300, Evaluation(PreferenceModelKind.Ridge, 0.171, -0.02, 0.169), new NormalizationConfig(NumericScaling.MinMax, [])),
            ],
            new PreviousComparison(Previous, 60, 0.104, 0.097, true),
            new PreferenceGateDecision(true, ["Test MAE 0.097 ≤ 0.200.", "Beats the mean baseline (0.176).", "Not worse than pref-20261121-030000-r5 on the same 60 test rows (0.104)."]),
            null, []);
    }

    public Task<PreferenceStatus> StatusAsync(CancellationToken ct = default) => Task.FromResult(Status);
    public Task<RetrainTriggerEvaluation> EvaluateAsync(CancellationToken ct = default) => Task.FromResult(Triggers);
    public Task<IReadOnlyList<PreferenceRunRow>> RunsAsync(int take, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<PreferenceRunRow>>(Runs.Take(take).ToList());

    public Task<PreferenceRunDetail?> RunAsync(long id, CancellationToken ct = default)
    {
        if (Runs.FirstOrDefault(r => r.Id == id) is not { } run)
            return Task.FromResult<PreferenceRunDetail?>(null);
        var result = run.Milestone == PreferenceMilestone.Correlation
            ? Result() with { Plan = MilestonePlanner.Plan(150, false), SelectedKind = null, Candidates = [], Dimensions = [], Previous = null, Gate = null }
            : Result();
        var selected = result.Selected;
        var triggered = run.Trigger == RunTrigger.Data
            ? new DataTriggerDetails([RetrainTriggerKind.NewRatings], Active, new RatingWatermark(T0.AddDays(2), 300), new RatingWatermark(T0.AddDays(3), 350),
                [new(RetrainTriggerKind.NewRatings, true, 50, 50, 50, "50 new ratings since the active version (threshold 50).")])
            : null;
        return Task.FromResult<PreferenceRunDetail?>(new PreferenceRunDetail(run, result,
            selected is null ? [] : [new(1042, 0.30, 0.58, 0.28, "Funny premise but the payoff is a meme I've seen 20 times.", VideoId: 77), new(1107, 0.40, 0.62, 0.22, null)],
            selected is null ? [] : [new(1213, 0.90, 0.64, -0.26, "Low production, but the timing is perfect.")],
            triggered,
            run.GateDecision is null ? [] : result.Gate!.Reasons,
            [],
            [new StepTiming("read", 84), new StepTiming("load-active", 12), new StepTiming("fit", 640), new StepTiming("store", 35)]));
    }

    public Task<IReadOnlyList<PreferenceVersionRow>> VersionsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<PreferenceVersionRow>>(Versions.ToList());

    public Task<PreferenceVersionDetail?> VersionAsync(string tag, CancellationToken ct = default)
    {
        var v = Versions.FirstOrDefault(x => x.Tag == tag);
        var scale = v?.Id ?? 1;
        return Task.FromResult(v is null ? null : new PreferenceVersionDetail(v, null, 0.2 + scale / 100.0,
            [new("script.replicability.score", 0.04 * scale), new("casting.actingSkillRequired", -0.03 * scale), new("standalone.worksWithoutContext", 0.02 * scale), new("trends.memeDependent", -0.01 * scale)]));
    }

    /// <summary>Registers this fake and the default preference options; call after <see cref="FakeTraining.Register"/>.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<IPreferenceQueries>(this);
        services.AddSingleton<IRetrainTriggerCheck>(this);
        services.AddSingleton(Options.Create(new PreferenceOptions()));
    }
}
