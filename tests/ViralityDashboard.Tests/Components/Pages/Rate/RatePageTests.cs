using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Pages.Rate;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Rate;

public sealed class RatePageTests : DashboardTestContext
{
    private readonly FakeRatings _ratings = new();

    public RatePageTests()
    {
        Services.AddSingleton<IRatingQueries>(_ratings);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ViralityDashboard.Training.Preference.IRatingQueueRanker>(new FakeRatingQueueRanker(active: false));
    }

    internal sealed class FakeRatings : IRatingQueries
    {
        public List<RatingInput> Saved { get; } = [];
        public Exception? FailWith { get; set; }
        public string? LastFilter { get; private set; }
        public List<int> Limits { get; } = [];

        public static IReadOnlyList<RatingQueueItem> Queue { get; } =
        [
            new(11, "7301234567890000001", "dance.daily", "POV: the beat drops at 0:07", ["fyp", "dance"], "original sound - dance.daily", 1_250_000, 98_000, 1_200, 3_400, 5_100, 21, DateTimeOffset.Parse("2026-11-20T10:00:00Z"), Analyzed: true),
            new(12, "7301234567890000002", "cook.with.mia", "3-minute garlic noodles", ["food", "recipe"], "Chill Beats", 48_000, 3_900, 140, 220, null, 58, DateTimeOffset.Parse("2026-11-19T08:00:00Z"), Analyzed: false),
            new(13, "7301234567890000003", "techtips", "iPhone setting you should turn off", ["tech"], null, 310_000, 21_000, 900, 1_800, 2_000, 33, null, Analyzed: false),
        ];

        public Task<IReadOnlyList<RatingQueueItem>> GetQueueAsync(string? filter, int limit, PreferenceRowFilter analyzed, CancellationToken ct = default)
        {
            LastFilter = filter;
            Limits.Add(limit);
            IReadOnlyList<RatingQueueItem> items = (filter is null ? Queue : Queue.Where(v => v.Description!.Contains(filter, StringComparison.OrdinalIgnoreCase)))
                .Where(v => !Saved.Any(r => r.VideoId == v.Id)).Take(limit).ToList();
            return Task.FromResult(items);
        }

        public Task<long> SaveAsync(RatingInput input, CancellationToken ct = default)
        {
            if (FailWith is not null)
                throw FailWith;
            Saved.Add(input);
            return Task.FromResult(input.RatingId ?? 100L + Saved.Count);
        }

        public List<StoredRating> Stored { get; } = [];

        public Task<IReadOnlyList<StoredRating>> GetRatingsAsync(long videoId, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<StoredRating>>(Stored.Where(r => r.VideoId == videoId).ToList());

        public Task<RatingQueueItem?> GetVideoAsync(long videoId, CancellationToken ct = default) =>
            Task.FromResult(Queue.FirstOrDefault(v => v.Id == videoId));
    }

    /// <summary>
    /// Focus fails as in a browser when the page no longer shows the rating panel ("Unable to focus an invalid element",
    /// which ended the circuit); bUnit's loose interop would accept it. Element ids are no help here: bUnit's markup
    /// carries a reference's id only on the render that created the element.
    /// </summary>
    /// <param name="markup">The page's markup now; null during the first render, before the test holds the component.</param>
    private void FocusFailsWithoutThePanel(Func<string?> markup) =>
        JSInterop.SetupVoid("Blazor._internal.domWrapper.focus", _ => markup() is { } page && !page.Contains("data-testid=\"rate-panel\"", StringComparison.Ordinal))
            .SetException(new JSException("Unable to focus an invalid element."));

    /// <summary>Keys as the page-wide listener (RatePage.razor.js) passes them on; Chromium tests cover the listener itself.</summary>
    private static void Keys(IRenderedComponent<RatePage> cut, params string[] keys)
    {
        foreach (var key in keys)
            cut.InvokeAsync(() => cut.Instance.OnKeyAsync(key, shift: false)).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task ShortcutsListenOnTheWholeDocumentWhileThePageIsShownAndStopWhenItIsLeft()
    {
        this.SignInAsOwner();
        var module = JSInterop.SetupModule("./Components/Pages/Rate/RatePage.razor.js");
        module.SetupVoid("listen", _ => true);
        module.SetupVoid("stop");

        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");
        module.VerifyInvoke("listen");
        Assert.Equal("0", cut.Find("[data-testid=rate-panel]").GetAttribute("data-focus"));
        await DisposeComponentsAsync();

        module.VerifyInvoke("stop");
    }

    [Fact]
    public async Task TabPastTheLastDimensionOrShiftTabBeforeTheFirstLeavesThePanelInsteadOfWrapping()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        var backBeforeFirst = await cut.InvokeAsync(() => cut.Instance.OnKeyAsync("Tab", shift: true));
        Keys(cut, "1", "2", "3", "4", "5");
        var pastLast = await cut.InvokeAsync(() => cut.Instance.OnKeyAsync("Tab", shift: false));

        Assert.Equal((true, true), (backBeforeFirst, pastLast));
        Assert.Equal("true", cut.FindAll("[data-testid=step-row]")[5].GetAttribute("data-focused"));
    }

    [Fact]
    public void ShowsTheNewestUnratedVideoWithItsLinkStatsAndTheShortcutLegend()
    {
        this.SignInAsOwner();

        var cut = Render<RatePage>();

        cut.WaitForAssertion(() => Assert.Contains("POV: the beat drops", cut.Find("[data-testid=video-caption]").TextContent));
        Assert.Equal("https://www.tiktok.com/@dance.daily/video/7301234567890000001", cut.Find("[data-testid=video-link]").GetAttribute("href"));
        Assert.Contains("1,250,000 views", cut.Find("[data-testid=video-stats]").TextContent);
        Assert.Contains("#dance", cut.Markup);
        Assert.Contains("Enter", cut.Find("[data-testid=shortcut-legend]").TextContent);
    }

    [Fact]
    public void DigitKeysScoreEachDimensionAndEnterSavesAndMovesOn()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        Keys(cut, "8", "7", "Tab", "0", "ArrowUp", "ArrowUp", "5", "Enter");

        cut.WaitForAssertion(() => Assert.Single(_ratings.Saved));
        var saved = _ratings.Saved[0];
        Assert.Equal(11, saved.VideoId);
        Assert.Equal("owner", saved.Rater);
        Assert.Equal(0.8, saved.OverallScore);
        Assert.Equal(0.7, saved.Hook);
        Assert.Equal(0.5, saved.Pacing); // Tab skipped Pacing, 0 scored Payoff 10, ↑↑ came back to Pacing
        Assert.Equal(1.0, saved.Payoff);
        Assert.Null(saved.Originality);
        Assert.True(saved.SecondsSpent >= 0);
        cut.WaitForAssertion(() => Assert.Contains("garlic noodles", cut.Find("[data-testid=video-caption]").TextContent));
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("Rating saved") == true);
    }

    [Fact]
    public void SkipThenBackReturnsToTheVideoAndAnUpdateKeepsTheRatingId()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        Keys(cut, "6", "Enter");
        cut.WaitForAssertion(() => Assert.Single(_ratings.Saved));
        Keys(cut, "s");
        cut.WaitForAssertion(() => Assert.Contains("iPhone setting", cut.Find("[data-testid=video-caption]").TextContent));
        Keys(cut, "Backspace", "ArrowLeft");
        cut.WaitForAssertion(() => Assert.Contains("POV", cut.Find("[data-testid=video-caption]").TextContent));
        Keys(cut, "9", "Enter");

        cut.WaitForAssertion(() => Assert.Equal(2, _ratings.Saved.Count));
        Assert.Equal(101, _ratings.Saved[1].RatingId);
        Assert.Equal(0.9, _ratings.Saved[1].OverallScore);
    }

    [Fact]
    public void AFailedSaveSaysSoAndKeepsTheInput()
    {
        this.SignInAsOwner();
        _ratings.FailWith = new InvalidOperationException("connection refused");
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        Keys(cut, "7", "3", "Enter");

        cut.WaitForAssertion(() => Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars,
            s => s.Message?.Contains("not saved") == true && s.Message.Contains("connection refused")));
        Assert.Contains("POV", cut.Find("[data-testid=video-caption]").TextContent);
        var values = cut.FindAll("[data-testid=step-value]").Select(e => e.TextContent).ToList();
        Assert.Equal(["7/10", "3/10", "–", "–", "–", "–"], values);
    }

    [Fact]
    public void TheFilterReloadsTheQueue()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        cut.Find("input[placeholder^=Filter]").Input("noodles");

        cut.WaitForAssertion(() => Assert.Contains("garlic noodles", cut.Find("[data-testid=video-caption]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Equal("noodles", _ratings.LastFilter);
    }

    [Fact]
    public void AViewerSeesNoRatingControls()
    {
        this.SignInAsViewer();

        var cut = Render<RatePage>();

        cut.WaitForElement("[data-testid=viewer-note]");
        Assert.Empty(cut.FindAll("[data-testid=rate-panel]"));
        Assert.Empty(cut.FindAll("[data-testid=rate-save]"));
    }

    [Fact]
    public async Task OwnerGuardRefusesAViewerEvenWithoutTheButtons()
    {
        this.SignInAsViewer();

        var guard = Services.GetRequiredService<OwnerGuard>();

        var refusal = await Assert.ThrowsAsync<NotOwnerException>(() => guard.EnsureOwnerAsync("rate videos"));
        Assert.Contains("rate videos", refusal.Message);
    }

    [Fact]
    public void AFilterWithNoMatchShowsAnEmptyStateWithLoadMoreInsteadOfCrashing()
    {
        this.SignInAsOwner();
        IRenderedComponent<RatePage>? cut = null;
        FocusFailsWithoutThePanel(() => cut?.Markup);
        cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        cut.Find("input[placeholder^=Filter]").Input("no such caption");

        cut.WaitForAssertion(() => Assert.Contains("No unrated videos match", cut.Find("[data-testid=queue-empty]").TextContent), TimeSpan.FromSeconds(5));
        Assert.NotNull(cut.Find("[data-testid=load-more]"));
        cut.Find("[data-testid=clear-filter]").Click();
        cut.WaitForAssertion(() => Assert.Contains("POV", cut.Find("[data-testid=video-caption]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=queue-empty]"));
    }

    [Fact]
    public void SkippingTheWholeBatchShowsTheEndAndLoadMoreBringsTheNextVideosNotTheSameOnes()
    {
        this.SignInAsOwner();
        IRenderedComponent<RatePage>? cut = null;
        FocusFailsWithoutThePanel(() => cut?.Markup);
        cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        Keys(cut, "7", "Enter");
        cut.WaitForAssertion(() => Assert.Single(_ratings.Saved));
        Keys(cut, "s");
        cut.WaitForAssertion(() => Assert.Contains("iPhone", cut.Find("[data-testid=video-caption]").TextContent));
        Keys(cut, "s");

        cut.WaitForAssertion(() => Assert.Contains("end of the queue", cut.Find("[data-testid=queue-empty]").TextContent));
        cut.Find("[data-testid=load-more]").Click();
        cut.WaitForAssertion(() => Assert.Contains("beyond the 2 you skipped", cut.Find("[data-testid=queue-empty]").TextContent));
        Assert.Equal(2 + 50, _ratings.Limits[^1]); // the two skipped were asked for on top of a batch, and dropped

        cut.Find("[data-testid=start-over]").Click();
        cut.WaitForAssertion(() => Assert.Contains("garlic noodles", cut.Find("[data-testid=video-caption]").TextContent));
    }

    [Fact]
    public void TheVideoPlaysInTikToksEmbeddedPlayerWithALinkToOpenItOnTikTok()
    {
        this.SignInAsOwner();

        var cut = Render<RatePage>();

        cut.WaitForAssertion(() => Assert.Contains("POV", cut.Find("[data-testid=video-caption]").TextContent));
        Assert.Equal("https://www.tiktok.com/embed/v2/7301234567890000001", cut.Find("iframe[data-testid=video-embed]").GetAttribute("src"));
        var open = cut.Find("[data-testid=open-on-tiktok]");
        Assert.Equal("https://www.tiktok.com/@dance.daily/video/7301234567890000001", open.GetAttribute("href"));
        Assert.Equal("_blank", open.GetAttribute("target"));
    }

    [Fact]
    public void EachVideoSaysWhetherItsRatingCountsTowardThePreferenceModelAndANotAnalyzedRatingIsKept()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForAssertion(() => Assert.Contains("Counts toward my preference model", cut.Find("[data-testid=counts-toward]").TextContent));

        Keys(cut, "s");
        cut.WaitForAssertion(() => Assert.Contains("Not analyzed yet", cut.Find("[data-testid=counts-toward]").TextContent));
        Keys(cut, "6", "Enter");

        cut.WaitForAssertion(() => Assert.Equal(12, Assert.Single(_ratings.Saved).VideoId));
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("counts toward your preference model once the video is analyzed") == true);
    }

    [Fact]
    public void ClickingAStepSetsItAndMovesOnSoTheNextDigitScoresTheNextDimension()
    {
        this.SignInAsOwner();
        var cut = Render<RatePage>();
        cut.WaitForElement("[data-testid=rate-panel]");

        cut.FindAll("[data-testid=step-row]")[0].QuerySelectorAll("button")[6].Click(); // Overall 7
        Keys(cut, "8");

        var values = cut.FindAll("[data-testid=step-value]").Select(e => e.TextContent).ToList();
        Assert.Equal(["7/10", "8/10", "–", "–", "–", "–"], values);
        Assert.Equal("true", cut.FindAll("[data-testid=step-row]")[2].GetAttribute("data-focused"));
    }
}
