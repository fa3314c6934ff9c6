using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Predict;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Pages.Predict;

public sealed class PreferencePredictorPanelTests : DashboardTestContext
{
    private readonly FakePreferencePredictor _predictor = new();

    public PreferencePredictorPanelTests()
    {
        Services.AddSingleton<IPreferencePredictor>(_predictor);
        Services.AddSingleton<IAnalyzedVideos>(_predictor);
        Services.AddSingleton<IEngagementPredictor>(new NoEngagementModels());
        Services.AddSingleton<ViralityDashboard.Data.Queries.IVideoTableQueries>(new NoVideos());
        this.SignInAsViewer(); // read-only: a viewer may predict too
    }

    private sealed class NoEngagementModels : IEngagementPredictor
    {
        public Task<IReadOnlyList<ViralityDashboard.Data.Registry.ModelVersionSummary>> ListVersionsAsync(CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<ViralityDashboard.Data.Registry.ModelVersionSummary>>([]);

        public Task<ViralityDashboard.Training.Engagement.PredictionOutcome> PredictAsync(ViralityDashboard.Core.Videos.ScrapedVideoRecord video, string? versionTag, CancellationToken ct = default) =>
            throw new NotSupportedException();

        public Task<ViralityDashboard.Training.Engagement.PredictionOutcome> PredictAsync(ViralityDashboard.Core.Videos.ScrapedVideoRecord video, string? versionTag, string? featureSet, CancellationToken ct = default) =>
            throw new NotSupportedException();
    }

    private sealed class NoVideos : ViralityDashboard.Data.Queries.IVideoTableQueries
    {
        public Task<ViralityDashboard.Data.Queries.VideoPage> GetPageAsync(ViralityDashboard.Data.Queries.VideoPageRequest request, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<ViralityDashboard.Core.Videos.ScrapedVideoRecord?> FindAsync(string platformVideoId, CancellationToken ct = default) =>
            Task.FromResult<ViralityDashboard.Core.Videos.ScrapedVideoRecord?>(null);
    }

    private IRenderedComponent<PredictPage> RenderPreferenceMode()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/predict?mode=preference");
        return Render<PredictPage>();
    }

    private static string Score(IRenderedComponent<PredictPage> cut) => cut.Find("[data-testid=preference-score]").TextContent;

    private static void PickFirstVideo(IRenderedComponent<PredictPage> cut)
    {
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pick-video]").Count));
        cut.FindAll("[data-testid=pick-video]")[0].Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=preference-score]")));
    }

    [Fact]
    public void TheModeSwitchOpensThePreferencePredictorBesideTheEngagementOne()
    {
        var cut = Render<PredictPage>();
        Assert.NotEmpty(cut.FindAll("[data-testid=predict]"));

        cut.Find("[data-testid=mode-preference]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=analysis-json]")));
        Assert.Empty(cut.FindAll("[data-testid=predict]"));
    }

    [Fact]
    public void PickingAnAnalyzedVideoPredictsWithTheActiveVersionAndLogsIt()
    {
        var cut = RenderPreferenceMode();

        PickFirstVideo(cut);

        // 0.42 − 0.21·0.3 + 0.06 − 0.18·2/7 + 0.35·0.85 = 0.663; every feature present: confidence = 1 × R² 0.64.
        Assert.Equal("6.6", Score(cut));
        Assert.Equal("64.0%", cut.Find("[data-testid=preference-confidence]").TextContent);
        Assert.Contains(FakePreferencePredictor.ActiveTag, cut.Find("[data-testid=preference-version-used]").TextContent);
        Assert.Contains("logged", cut.Find("[data-testid=preference-live]").TextContent);
        Assert.Contains("hook", cut.Find("[data-testid=preference-dimensions]").TextContent);
        var (analysis, tag) = Assert.Single(_predictor.Logged);
        Assert.Equal((FakePreferencePredictor.ActiveTag, 8.5), (tag, analysis["script.replicability.score"].Number));
        Assert.Contains("video 7301234567890000001", cut.Markup);
        var factors = cut.FindComponent<PreferenceFactorsChart>().Instance.Factors;
        Assert.Equal(["script.replicability.score", "casting.actingSkillRequired", "comedyStyle_deadpan", "production.shotComplexity"], factors.Select(f => f.Feature));
    }

    [Fact]
    public void TheModelsMostImportantFeaturesAreEditableAndAnEditRecomputesLiveWithoutLogging()
    {
        var cut = RenderPreferenceMode();
        PickFirstVideo(cut);
        // By the model's |weight|, one field per source key (comedyStyle's two one-hot columns are one select).
        var fields = cut.FindAll("[data-testid^='feature-']").Select(e => e.GetAttribute("data-testid")![8..]).Where(k => k != "editor").Distinct();
        Assert.Equal(["script.replicability.score", "casting.actingSkillRequired", "production.shotComplexity", "trends.memeDependent", "comedyStyle"], fields);

        cut.Find("input[data-testid='feature-script.replicability.score'], [data-testid='feature-script.replicability.score'] input").Input("2");

        cut.WaitForAssertion(() => Assert.Equal("4.4", Score(cut)));
        Assert.Contains("live", cut.Find("[data-testid=preference-live]").TextContent);
        Assert.Single(_predictor.Logged);

        cut.Find("[data-testid=preference-predict]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, _predictor.Logged.Count));
        Assert.Equal(2, _predictor.Logged[1].Analysis["script.replicability.score"].Number);
        Assert.Contains("logged", cut.Find("[data-testid=preference-live]").TextContent);
    }

    [Fact]
    public void ABooleanFeatureIsASwitch()
    {
        var cut = RenderPreferenceMode();
        PickFirstVideo(cut);

        cut.Find("input[data-testid='feature-trends.memeDependent'], [data-testid='feature-trends.memeDependent'] input").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("5.8", Score(cut))); // − 0.08
    }

    [Fact]
    public async Task AnOlderVersionCanBeChosenAndTheScoreFollowsIt()
    {
        var cut = RenderPreferenceMode();
        PickFirstVideo(cut);
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Preference model version");

        await cut.InvokeAsync(() => select.Instance.SelectOption(FakePreferencePredictor.OlderTag));

        cut.WaitForAssertion(() => Assert.Contains(FakePreferencePredictor.OlderTag, cut.Find("[data-testid=preference-version-used]").TextContent));
        Assert.Equal([null, FakePreferencePredictor.OlderTag], _predictor.Loads);
        Assert.Equal("56.0%", cut.Find("[data-testid=preference-confidence]").TextContent);
    }

    [Fact]
    public void MalformedJsonGetsAMessageNamingLineAndPosition()
    {
        var cut = RenderPreferenceMode();

        cut.Find("textarea[data-testid=analysis-json], [data-testid=analysis-json] textarea").Change("{\n  \"script\": {\"score\": 8,,\n}");
        cut.Find("[data-testid=preference-predict]").Click();

        var error = cut.Find("[data-testid=analysis-error]").TextContent;
        Assert.Equal("The analysis is not valid JSON: line 2, position 25: ',' is an invalid start of a property name. Expected a '\"'.", error);
        Assert.Empty(_predictor.Logged);
        Assert.Empty(cut.FindAll("[data-testid=preference-score]"));
    }

    [Fact]
    public void JsonThatIsNotAVisualAnalysisSaysWhyInsteadOfAScore()
    {
        var cut = RenderPreferenceMode();

        cut.Find("textarea[data-testid=analysis-json], [data-testid=analysis-json] textarea").Change("""{"foo":1}""");
        cut.Find("[data-testid=preference-predict]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith(
            "The analysis carries 0 of the model's 6 features (0% coverage); a prediction needs at least 50%", cut.Find("[data-testid=analysis-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=preference-score]"));
        Assert.Empty(_predictor.Logged);
    }

    [Fact]
    public void AJsonArrayIsRefusedWithAMessage()
    {
        var cut = RenderPreferenceMode();

        cut.Find("textarea[data-testid=analysis-json], [data-testid=analysis-json] textarea").Change("[1, 2]");
        cut.Find("[data-testid=preference-predict]").Click();

        Assert.Contains("must be a JSON object", cut.Find("[data-testid=analysis-error]").TextContent);
    }

    [Fact]
    public void SearchingFindsAnalyzedVideosByCaption()
    {
        var cut = RenderPreferenceMode();

        cut.Find("input[data-testid=analyzed-search], [data-testid=analyzed-search] input").Input("noodles");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=pick-video]")), TimeSpan.FromSeconds(3));
        Assert.Contains("3-minute garlic noodles", cut.Find("[data-testid=analyzed-videos]").TextContent);
        Assert.Equal("noodles", _predictor.Searches[^1]);
    }

    [Fact]
    public void WithoutAnActivePreferenceModelItSaysHowToGetOne()
    {
        _predictor.HasActiveModel = false;
        var cut = RenderPreferenceMode();

        cut.WaitForAssertion(() => Assert.Contains("No active preference model", cut.Find("[data-testid=preference-model-error]").TextContent));
        Assert.True(cut.Find("[data-testid=preference-predict]").HasAttribute("disabled"));
    }

    [Fact]
    public void TheFactorsChartDrawsTheLargestFactorOnTopInTheSignsColour()
    {
        var cut = Render<PreferenceFactorsChart>(p => p.Add(c => c.Factors, new FactorContribution[]
        {
            new("script.replicability.score", 0.85, 0.2975),
            new("casting.actingSkillRequired", 0.3, -0.063),
        }));

        var bar = (Plotly.Blazor.Traces.Bar)cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Data[0];
        Assert.Equal(["casting.actingSkillRequired", "script.replicability.score"], bar.Y);
        Assert.Equal(["#e53935", "#43a047"], bar.Marker.ColorArray);
    }
}
