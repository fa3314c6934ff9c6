using ViralityDashboard.Core.Ml;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Predict;
using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Pages.Predict;

public sealed class PredictPageTests : DashboardTestContext
{
    private readonly FakePredictor _predictor = new();
    private readonly FakeVideos _videos = new();
    private readonly FakeTraining _training = new();
    private readonly BunitAuthorizationContext _auth;

    public PredictPageTests()
    {
        Services.AddSingleton<IEngagementPredictor>(_predictor);
        Services.AddSingleton<IVideoTableQueries>(_videos);
        _training.Register(Services);
        Services.AddSingleton<TimeProvider>(new FixedClock(Now));
        _auth = this.SignInAsViewer(); // predicting changes nothing: viewers may use it
    }

    /// <summary>Two days after the form's default posting time (2026-11-20 18:00 UTC).</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T18:00:00Z");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>What an early model's stored rows say: trained on snapshots 2–96 h old.</summary>
    private static readonly RowsReport EarlyRows = new(TrainingRowsMode.PointInTime, 240, 240, 12, 3, 2, 20, 96);

    private static ModelVersionSummary Version(long id, string tag, string features, bool active, VersionStatus status = VersionStatus.Active) =>
        new(id, tag, ModelKind.Engagement, status, active, DateTimeOffset.Parse("2026-11-20T03:00:00Z").AddDays(id), 4_000, features, "views", "lbfgs", null, id);

    private sealed class FakePredictor : IEngagementPredictor
    {
        public List<(ScrapedVideoRecord Video, string? Tag)> Calls { get; } = [];
        public List<string?> FeatureSets { get; } = [];
        public bool PrePostingActive { get; set; }
        /// <summary>Answer as a model of the early set, which reads the age and was trained on <see cref="EarlyRows"/>.</summary>
        public bool Early { get; set; }
        /// <summary>What the next prediction's factors are; null: the three linear ones below.</summary>
        public (IReadOnlyList<FeatureContribution> Factors, TierExplanation? Explanation, string? Reason)? Factors { get; set; }

        public Task<IReadOnlyList<ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<ModelVersionSummary>>(
            [
                Version(3, "eng-20261123-030000-r3", FeatureSet.PrePostingName, active: PrePostingActive, status: PrePostingActive ? VersionStatus.Active : VersionStatus.Inactive),
                Version(2, "eng-20261122-030000-r2", FeatureSet.Seed15Name, active: true),
            ]);

        public Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default) =>
            PredictAsync(video, versionTag, null, ct);

        public Task<PredictionOutcome> PredictAsync(ScrapedVideoRecord video, string? versionTag, string? featureSet, CancellationToken ct = default)
        {
            Calls.Add((video, versionTag));
            FeatureSets.Add(featureSet);
            var (factors, explanation, reason) = Factors ?? (
                [new("log_views", 4.4, 0.9, 3.96), new("like_rate", 0.084, 2.1, 0.176), new("duration_seconds", 24, -0.01, -0.24)],
                new TierExplanation(4, ExplainedScore.Logit, "linear", -1.2, 2.696, [3.96, 0.176, -0.24]), null);
            var age = Early ? new AgeReport(video.AgeHours, EarlyRows, ObservationAge.TrainedFor(EarlyRows), ObservationAge.OutsideTraining(EarlyRows, video.AgeHours)) : null;
            return Task.FromResult(new PredictionOutcome(versionTag ?? "eng-20261122-030000-r2", featureSet ?? (Early ? FeatureSet.EarlyName : FeatureSet.Seed15Name), 4,
                [0.02f, 0.08f, 0.20f, 0.48f, 0.22f], 71.6, factors, new Dictionary<string, float>(), explanation, reason, Age: age));
        }
    }

    private sealed class FakeVideos : IVideoTableQueries
    {
        public Task<VideoPage> GetPageAsync(VideoPageRequest request, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<ScrapedVideoRecord?> FindAsync(string platformVideoId, CancellationToken ct = default) =>
            Task.FromResult(platformVideoId == "7301" ? new ScrapedVideoRecord
            {
                VideoId = "7301", Views = 1_250_000, Likes = 98_000, Shares = 3_400, Comments = 1_200, Saves = 5_100, DurationSeconds = 21,
                Hashtags = ["fyp", "dance"], SoundName = "original sound - dance.daily", Description = "POV: the beat drops", AuthorFollowers = 250_000,
                // No posting time: its age counts from first seen (a stored video always has both times).
                FirstSeenAt = DateTimeOffset.Parse("2026-11-10T00:00:00Z"), ScrapedAt = DateTimeOffset.Parse("2026-11-12T00:00:00Z"),
            } : platformVideoId == "7302" ? new ScrapedVideoRecord
            {
                // Its current counts were scraped 30.5 h after posting.
                VideoId = "7302", Views = 40_000, Likes = 3_000, Shares = 90, Comments = 60, CreatedAt = DateTimeOffset.Parse("2026-11-01T00:00:00Z"),
                FirstSeenAt = DateTimeOffset.Parse("2026-11-01T06:00:00Z"), ScrapedAt = DateTimeOffset.Parse("2026-11-02T06:30:00Z"),
            } : null);
    }

    [Fact]
    public void PredictsWithTheActiveVersionAndShowsScoreTierChartAndFactors()
    {
        var cut = Render<PredictPage>();

        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Equal("72", cut.Find("[data-testid=score]").TextContent));
        Assert.Equal("tier 4", cut.Find("[data-testid=tier]").TextContent);
        var (video, tag) = Assert.Single(_predictor.Calls);
        Assert.Null(tag);
        Assert.Equal((25_000L, 2_100L), (video.Views, video.Likes));
        Assert.Equal(["fyp", "food", "recipe"], video.Hashtags);
        var chart = cut.FindComponent<TierProbabilitiesChart>();
        Assert.Equal(4, chart.Instance.PredictedTier);
        var rows = cut.FindAll("[data-testid=contributions] tbody tr");
        Assert.Equal("log_views", rows[0].Children[0].TextContent);
        Assert.Equal("-0.240", rows[1].Children[2].TextContent); // ordered by size, sign kept
    }

    [Fact]
    public void ANegativeCountIsAnErrorAsYouTypeAndBlocksPredicting()
    {
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=views], [data-testid=views] input").Input("-5");

        cut.WaitForAssertion(() => Assert.Contains("Views must not be negative", cut.Find("[data-testid=predict-error]").TextContent));
        Assert.True(cut.Find("[data-testid=predict]").HasAttribute("disabled"));
    }

    [Fact]
    public void MoreLikesThanViewsIsOnlyAWarning()
    {
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=likes], [data-testid=likes] input").Input("30000");

        cut.WaitForAssertion(() => Assert.Contains("More likes (30,000) than views (25,000)", cut.Find("[data-testid=predict-warning]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=predict-error]"));
        Assert.False(cut.Find("[data-testid=predict]").HasAttribute("disabled"));
    }

    [Fact]
    public void PrePostingHidesEngagementSendsZerosAndPredictsWithTheActivePrePostingVersionOnly()
    {
        _predictor.PrePostingActive = true;
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=pre-posting], [data-testid=pre-posting] input").Change(true);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=engagement-fields]")));
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        var (video, tag) = _predictor.Calls[0];
        Assert.Null(tag);
        Assert.Equal(FeatureSet.PrePostingName, _predictor.FeatureSets[0]);
        Assert.Equal((0L, 0L, 0L), (video.Views, video.Likes, video.Shares));
        Assert.Equal(12_000, video.AuthorFollowers);
    }

    [Fact]
    public void WithoutAnActivePrePostingVersionItSaysSoBlocksPredictingAndOffersARetrain()
    {
        _auth.SetRoles(ViralityDashboard.Data.Identity.Roles.Owner);
        _auth.SetPolicies(Policies.Owner);
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=pre-posting], [data-testid=pre-posting] input").Change(true);
        cut.WaitForAssertion(() => Assert.Contains("No active pre-posting model", cut.Find("[data-testid=no-pre-posting-model]").TextContent));
        Assert.True(cut.Find("[data-testid=predict]").HasAttribute("disabled"));
        cut.Find("[data-testid=retrain-pre-posting]").Click();

        cut.WaitForAssertion(() => Assert.Single(_training.Launched));
        Assert.Equal(FeatureSet.PrePostingName, _training.Launched[0].FeatureSet?.Name);
        Assert.Empty(_predictor.Calls);
    }

    [Fact]
    public void TreeFactorsSayWhichScoreTheyAddUpTo()
    {
        _predictor.Factors = ([new("followerTier", 0.6, null, 0.81), new("durationSeconds", 0.2, null, -0.12)],
            new TierExplanation(4, ExplainedScore.RawScore, "tree-path", 0.1, 0.79, [0.81, -0.12]), null);
        var cut = Render<PredictPage>();

        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=contributions] tbody tr").Count));
        Assert.Contains("raw score of tier 4: base 0.1 + contributions = 0.79", cut.Find("[data-testid=contributions-caption]").TextContent);
    }

    [Fact]
    public void AModelWithoutFactorsSaysWhyInsteadOfAnEmptyTable()
    {
        _predictor.Factors = ([], null, "No explanation for a SomeNewModel predictor.");
        var cut = Render<PredictPage>();

        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Contains("No explanation for a SomeNewModel predictor.", cut.Find("[data-testid=no-contributions]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=contributions]"));
    }

    [Fact]
    public void PrefillLoadsOnEnter()
    {
        var cut = Render<PredictPage>();

        var id = cut.Find("input[data-testid=prefill-id], [data-testid=prefill-id] input");
        id.Input("7301");
        id.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Equal(1_250_000L, _predictor.Calls[0].Video.Views);
    }

    [Fact]
    public void PrefillCopiesAnImportedVideosFields()
    {
        var cut = Render<PredictPage>();

        // Bound as typed: the one click that follows (and blurs the field) already sees the id.
        cut.Find("input[data-testid=prefill-id], [data-testid=prefill-id] input").Input("7301");
        cut.Find("[data-testid=prefill]").Click();
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Equal((1_250_000L, "POV: the beat drops"), (_predictor.Calls[0].Video.Views, _predictor.Calls[0].Video.Description));
    }

    private static string HoursField(IRenderedComponent<PredictPage> cut) => cut.Find("input[data-testid=hours-since-posting], [data-testid=hours-since-posting] input").GetAttribute("value") ?? "";

    [Fact]
    public void HoursSincePostingArePrefilledFromThePostedTimeAndNowAndSetTheRecordsAge()
    {
        var cut = Render<PredictPage>();

        Assert.Equal("48", HoursField(cut));
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        var video = _predictor.Calls[0].Video;
        Assert.Equal(48, video.AgeHours);
        Assert.Equal(Now, video.ScrapedAt);
    }

    [Fact]
    public void ALoadedVideoBringsTheAgeOfItsSnapshotNotOfNow()
    {
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=prefill-id], [data-testid=prefill-id] input").Input("7302");
        cut.Find("[data-testid=prefill]").Click();

        cut.WaitForAssertion(() => Assert.Equal("30.5", HoursField(cut)));
        cut.Find("[data-testid=predict]").Click();
        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Equal(30.5, _predictor.Calls[0].Video.AgeHours);
    }

    [Fact]
    public void TypedHoursAreSent()
    {
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=hours-since-posting], [data-testid=hours-since-posting] input").Input("6");
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Equal(6, _predictor.Calls[0].Video.AgeHours);
    }

    [Fact]
    public void BeforePostingTheAgeIsZeroAndNotAsked()
    {
        _predictor.PrePostingActive = true;
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=pre-posting], [data-testid=pre-posting] input").Change(true);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=hours-since-posting]")));
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Equal(0, _predictor.Calls[0].Video.AgeHours);
    }

    [Theory]
    [InlineData("-3", "Hours since posting must not be negative.")]
    [InlineData("200000", "Hours since posting must be at most 100,000 hours (about 11 years).")]
    [InlineData("", "Hours since posting are required (or switch to pre-posting).")]
    public void AnAgeNoVideoCanHaveIsAnErrorThatBlocksPredicting(string typed, string message)
    {
        var cut = Render<PredictPage>();

        cut.Find("input[data-testid=hours-since-posting], [data-testid=hours-since-posting] input").Input(typed);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.FindAll("[data-testid=predict-error]").Select(e => e.TextContent)));
        Assert.True(cut.Find("[data-testid=predict]").HasAttribute("disabled"));
    }

    [Fact]
    public void AnEarlyModelsResultSaysWhichAgesItWasTrainedOnAndWarnsOutsideThem()
    {
        _predictor.Early = true;
        var cut = Render<PredictPage>();

        cut.Find("[data-testid=predict]").Click(); // 48 h: inside 2–96 h
        cut.WaitForAssertion(() => Assert.Equal("Trained on snapshots 2 h–96 h old (median 20 h), point-in-time rows.", cut.Find("[data-testid=trained-ages]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=age-warning]"));

        cut.Find("input[data-testid=hours-since-posting], [data-testid=hours-since-posting] input").Input("500");
        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Contains("500 h old, older than any snapshot this model was trained on (2 h–96 h)", cut.Find("[data-testid=age-warning]").TextContent));
    }

    [Fact]
    public void AModelThatDoesNotReadTheAgeShowsNoTrainedAges()
    {
        var cut = Render<PredictPage>();

        cut.Find("[data-testid=predict]").Click();

        cut.WaitForAssertion(() => Assert.Single(_predictor.Calls));
        Assert.Empty(cut.FindAll("[data-testid=trained-ages]"));
    }
}
