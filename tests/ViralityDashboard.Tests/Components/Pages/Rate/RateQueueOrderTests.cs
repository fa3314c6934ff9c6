using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Pages.Rate;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Pages.Rate;

public sealed class RateQueueOrderTests : DashboardTestContext
{
    private readonly RatePageTests.FakeRatings _ratings = new();

    public RateQueueOrderTests()
    {
        Services.AddSingleton<ViralityDashboard.Data.Queries.IRatingQueries>(_ratings);
        Services.AddSingleton(TimeProvider.System);
    }

    private static string Caption(IRenderedComponent<RatePage> cut) => cut.Find("[data-testid=video-caption]").TextContent;

    [Fact]
    public void WithAnActivePreferenceModelTheOwnerCanRateTheMostUncertainVideosFirst()
    {
        var ranker = new FakeRatingQueueRanker(active: true);
        Services.AddSingleton<IRatingQueueRanker>(ranker);
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForAssertion(() => Assert.Contains("POV: the beat drops", Caption(cut))); // analyzed first by default
        Assert.Empty(cut.FindAll("[data-testid=uncertainty]"));

        cut.Find("[data-testid=order-uncertain]").Click();

        cut.WaitForAssertion(() => Assert.Contains("iPhone setting you should turn off", Caption(cut)));
        Assert.Equal(1, ranker.Calls);
        var note = cut.Find("[data-testid=uncertainty]").TextContent;
        Assert.Contains("0.412", note);
        Assert.Contains("0.312 outside the training data", note);
        Assert.Contains("90.0% of the model's features", note);
        Assert.Contains(FakeRatingQueueRanker.Tag, note);
        Assert.NotEmpty(cut.FindAll("[data-testid=rate-panel]")); // rating works the same in this order

        cut.Find("[data-testid=order-analyzed]").Click();

        cut.WaitForAssertion(() => Assert.Contains("POV: the beat drops", Caption(cut)));
        Assert.Empty(cut.FindAll("[data-testid=uncertainty]"));
    }

    [Fact]
    public void WithoutAPreferenceModelOnlyAnalyzedFirstIsOffered()
    {
        Services.AddSingleton<IRatingQueueRanker>(new FakeRatingQueueRanker(active: false));
        this.SignInAsOwner();

        var cut = Render<RatePage>();

        cut.WaitForAssertion(() => Assert.Contains("POV: the beat drops", Caption(cut)));
        Assert.Empty(cut.FindAll("[data-testid=queue-order]"));
    }

    [Fact]
    public void AViewerMayBrowseTheUncertainQueueButStillCannotRate()
    {
        Services.AddSingleton<IRatingQueueRanker>(new FakeRatingQueueRanker(active: true));
        this.SignInAsViewer();
        var cut = Render<RatePage>();

        cut.Find("[data-testid=order-uncertain]").Click();

        cut.WaitForAssertion(() => Assert.Contains("iPhone setting", Caption(cut)));
        Assert.NotEmpty(cut.FindAll("[data-testid=viewer-note]"));
        Assert.Empty(cut.FindAll("[data-testid=rate-panel]"));
    }
}
