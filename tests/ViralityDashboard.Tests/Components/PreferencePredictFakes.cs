using ViralityDashboard.Core.Ml;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components;

/// <summary>
/// The preference predictor's training side for bUnit: a real ridge model over five seed-003 features (so live
/// recomputation really moves the score), two versions, three analyzed videos and a record of logged predictions.
/// </summary>
public sealed class FakePreferencePredictor : IPreferencePredictor, IAnalyzedVideos
{
    public const string ActiveTag = "pref-20261124-101500-r2";
    public const string OlderTag = "pref-20261120-101500-r1";

    public static readonly NormalizationConfig Config = new(NumericScaling.MinMax,
    [
        new VectorColumn("casting.actingSkillRequired", "casting.actingSkillRequired", ColumnKind.Numeric, Numeric: new NumericParameters(0, 10, 4.8, 2.9, 5, 5)),
        new VectorColumn("comedyStyle_deadpan", "comedyStyle", ColumnKind.OneHot, Category: "deadpan"),
        new VectorColumn("comedyStyle_parody", "comedyStyle", ColumnKind.OneHot, Category: "parody"),
        new VectorColumn("production.shotComplexity", "production.shotComplexity", ColumnKind.Numeric, Numeric: new NumericParameters(0, 7, 3.4, 2, 3.5, 3.5)),
        new VectorColumn("script.replicability.score", "script.replicability.score", ColumnKind.Numeric, Numeric: new NumericParameters(0, 10, 5.1, 2.8, 5, 5)),
        new VectorColumn("trends.memeDependent", "trends.memeDependent", ColumnKind.Boolean),
    ]);

    public static readonly PreferenceModel Ridge = PreferenceModel.FromLinear(new LinearPreferenceWeights(1, 0.42, [-0.21, 0.06, -0.03, -0.18, 0.35, -0.08]));

    /// <summary>Video 7301's analysis: replicable, simple, deadpan, not meme-dependent.</summary>
    public const string Analysis7301 = """
        {"script":{"replicability":{"score":8.5},"humor":{"comedyTiming":7}},"production":{"shotComplexity":2},
         "trends":{"memeDependent":false},"casting":{"actingSkillRequired":3},"comedyStyle":"deadpan","summary":"office prank"}
        """;

    public bool HasActiveModel { get; set; } = true;
    public List<(IReadOnlyDictionary<string, FeatureValue> Analysis, string Tag)> Logged { get; } = [];
    public List<string?> Loads { get; } = [];
    public List<string?> Searches { get; } = [];

    public static IReadOnlyList<AnalyzedVideoChoice> Videos { get; } =
    [
        new(11, "7301234567890000001", "office.pranks", "When the boss asks who took the last coffee", 212, Rated: false),
        new(12, "7301234567890000002", "cook.with.mia", "3-minute garlic noodles", 198, Rated: true),
        new(13, "7301234567890000003", "techtips", "iPhone setting you should turn off", 205, Rated: true),
    ];

    public Task<IReadOnlyList<PreferenceVersionRow>> ListVersionsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PreferenceVersionRow>>(
        [
            Version(2, ActiveTag, active: HasActiveModel, mae: 0.097, r2: 0.64),
            Version(1, OlderTag, active: false, mae: 0.104, r2: 0.56),
        ]);

    public Task<PreferenceModelHandle> LoadAsync(string? versionTag, CancellationToken ct = default)
    {
        Loads.Add(versionTag);
        if (versionTag is null && !HasActiveModel)
            throw new ModelRegistryException("No active preference model: train one on the Training page (it needs 200 rated, analyzed videos).");
        var tag = versionTag ?? ActiveTag;
        var r2 = tag == ActiveTag ? 0.64 : 0.56;
        return Task.FromResult(new PreferenceModelHandle(tag, "ridge", EditableFeatures.Top(Config, Ridge), input => Predict(tag, r2, input)));
    }

    public Task<PreferencePredictionOutcome> PredictAsync(IReadOnlyDictionary<string, FeatureValue> analysis, string versionTag, CancellationToken ct = default)
    {
        var outcome = Predict(versionTag, versionTag == ActiveTag ? 0.64 : 0.56, analysis);
        Logged.Add((new Dictionary<string, FeatureValue>(analysis), versionTag));
        return Task.FromResult(outcome);
    }

    public Task<IReadOnlyList<AnalyzedVideoChoice>> SearchAnalyzedAsync(string? text, int limit, CancellationToken ct = default)
    {
        Searches.Add(text);
        return Task.FromResult<IReadOnlyList<AnalyzedVideoChoice>>(Videos
            .Where(v => string.IsNullOrEmpty(text) || v.PlatformVideoId.StartsWith(text, StringComparison.Ordinal) || v.Description!.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Take(limit).ToList());
    }

    public Task<string?> AnalysisAsync(long videoId, CancellationToken ct = default) =>
        Task.FromResult<string?>(videoId == 11 ? Analysis7301 : null);

    /// <summary>What the real service computes for a ridge model, with a hook dimension; it refuses inputs below 50 % coverage.</summary>
    public static PreferencePredictionOutcome Predict(string tag, double r2, IReadOnlyDictionary<string, FeatureValue> input)
    {
        PreferencePredictor.RequireCoverage(Config, input, FeatureTyping.MinimumCoverage);
        var p = PreferencePredictor.Predict(Config, Ridge, r2, input);
        var hook = PreferencePredictor.Predict(Config, Ridge, r2 - 0.1, input);
        return new PreferencePredictionOutcome(tag, "ridge", p.Score, p.Confidence, p.Coverage, p.RawOutput, r2, p.TopFactors,
            [new DimensionPrediction("hook", hook.Score, hook.Confidence)], InputsHash.Of(input));
    }

    private static PreferenceVersionRow Version(long id, string tag, bool active, double mae, double r2) =>
        new(id, tag, active ? VersionStatus.Active : VersionStatus.Inactive, active, DateTimeOffset.Parse("2026-11-20T10:15:00Z").AddDays(id * 2), 200 + (int)id * 100, "ridge",
            PreferenceMilestone.FirstModel, mae, mae * 1.3, r2, mae + 0.01, 0.01, "acceptable", null);
}

/// <summary>The rate page's uncertainty order, faked: with or without an active preference model.</summary>
public sealed class FakeRatingQueueRanker(bool active = true) : IRatingQueueRanker
{
    public const string Tag = FakePreferencePredictor.ActiveTag;

    public int Calls { get; private set; }

    /// <summary>The fake rating queue's third video first: the model has never seen anything like it.</summary>
    public static IReadOnlyList<(long Id, UncertaintyScore Score)> Ranking { get; } =
    [
        (13, new UncertaintyScore(0.412, 0.312, 0.9, null)),
        (11, new UncertaintyScore(0.067, 0.067, 1.0, null)),
        (12, new UncertaintyScore(0.0, 0.0, 1.0, null)),
    ];

    public Task<string?> ActiveVersionAsync(CancellationToken ct = default) => Task.FromResult(active ? Tag : null);

    public Task<IReadOnlyList<UncertainQueueItem>> GetQueueAsync(string? filter, int limit, CancellationToken ct = default)
    {
        Calls++;
        var queue = ViralityDashboard.Tests.Components.Pages.Rate.RatePageTests.FakeRatings.Queue;
        IReadOnlyList<UncertainQueueItem> items = active
            ? Ranking.Select(r => new UncertainQueueItem(queue.Single(v => v.Id == r.Id), r.Score)).Take(limit).ToList()
            : [];
        return Task.FromResult(items);
    }
}
