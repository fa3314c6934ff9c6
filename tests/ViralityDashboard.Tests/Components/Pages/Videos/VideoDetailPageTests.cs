using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Components.Pages.Videos;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Tests.Components.Pages.Rate;

namespace ViralityDashboard.Tests.Components.Pages.Videos;

public sealed class VideoDetailPageTests : DashboardTestContext
{
    private readonly RatePageTests.FakeRatings _ratings = new();

    public VideoDetailPageTests()
    {
        Services.AddSingleton<IRatingQueries>(_ratings);
        _ratings.Stored.Add(new StoredRating(7, 12, "owner", 0.6, 0.8, null, 0.5, null, 0.9, "good hook", DateTimeOffset.Parse("2026-11-21T09:30:00Z"), 14.2));
    }

    [Fact]
    public void TheOwnerEditsAnEarlierRatingKeepingItsIdAndTime()
    {
        this.SignInAsOwner();
        var cut = Render<VideoDetailPage>(p => p.Add(c => c.Id, 12));
        cut.WaitForAssertion(() => Assert.Contains("Overall 6/10 · Hook 8/10 · Pacing –", cut.Find("[data-testid=rating-scores]").TextContent));

        cut.Find("[data-testid=edit-rating]").Click();
        cut.FindAll("[data-testid=step-row]")[0].QuerySelectorAll("button")[8].Click(); // overall 9
        cut.Find("[data-testid=save-edit]").Click();

        cut.WaitForAssertion(() => Assert.Single(_ratings.Saved));
        var saved = _ratings.Saved[0];
        Assert.Equal((7L, 12L, 0.9, 0.8, (double?)null, 14.2, "good hook"), (saved.RatingId!.Value, saved.VideoId, saved.OverallScore, saved.Hook!.Value, saved.Pacing, saved.SecondsSpent, saved.Notes));
    }

    [Fact]
    public void AViewerSeesTheRatingsButNoEditButton()
    {
        this.SignInAsViewer();

        var cut = Render<VideoDetailPage>(p => p.Add(c => c.Id, 12));

        cut.WaitForAssertion(() => Assert.Contains("garlic noodles", cut.Markup));
        Assert.Single(cut.FindAll("[data-testid=rating]"));
        Assert.Empty(cut.FindAll("[data-testid=edit-rating]"));
    }

    [Fact]
    public void TheHeadingNamesTheVideoOnceAndTheCardStillLinksToTikTok()
    {
        this.SignInAsViewer();

        var cut = Render<VideoDetailPage>(p => p.Add(c => c.Id, 12));

        cut.WaitForAssertion(() => Assert.Contains("garlic noodles", cut.Markup));
        var heading = cut.Find("[data-testid=video-heading]").TextContent.Trim();
        Assert.StartsWith("@", heading);
        var text = string.Concat(cut.Nodes.Select(n => n.TextContent));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(text, System.Text.RegularExpressions.Regex.Escape(heading)));
        Assert.Contains("tiktok.com", cut.Find("[data-testid=tiktok-link]").GetAttribute("href"));
    }

    [Fact]
    public void AnUnknownIdSaysSo()
    {
        this.SignInAsViewer();

        var cut = Render<VideoDetailPage>(p => p.Add(c => c.Id, 999));

        cut.WaitForAssertion(() => Assert.Contains("No video with id 999", cut.Markup));
    }
}
