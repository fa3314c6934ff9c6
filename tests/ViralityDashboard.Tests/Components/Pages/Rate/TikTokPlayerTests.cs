using Bunit;
using ViralityDashboard.Components.Pages.Rate;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Rate;

/// <summary>The player's offline view (issue 24 §3): the cover, or a placeholder that says why and links to TikTok.</summary>
public sealed class TikTokPlayerTests : DashboardTestContext
{
    private const string Cover = "https://p16-sign-sg.tiktokcdn.com/obj/tos-alisg-p-0037/cover?x-expires=1739548800";

    private static RatingQueueItem Video(string? cover) =>
        new(11, "7301234567890000001", "dance.daily", "POV: the beat drops at 0:07", ["fyp"], null, 1, 1, 1, 1, null, 21, null, CoverUrl: cover);

    [Fact]
    public void AVideoWithACoverShowsItOverThePlayerUntilThePlayerLoads()
    {
        var cut = Render<TikTokPlayer>(p => p.Add(c => c.Video, Video(Cover)));

        var cover = cut.Find("[data-testid=video-fallback] img[data-testid=video-cover]");
        Assert.Equal(Cover, cover.GetAttribute("src"));
        Assert.Contains("7301234567890000001", cover.GetAttribute("alt"));
        Assert.Equal("loading", cut.Find("[data-testid=video-preview]").GetAttribute("data-state"));
        Assert.Equal("https://www.tiktok.com/embed/v2/7301234567890000001", cut.Find("iframe[data-testid=video-embed]").GetAttribute("src"));
    }

    [Fact]
    public void AVideoWithoutACoverShowsAPlaceholderWithTheLinkAndTheCaption()
    {
        var cut = Render<TikTokPlayer>(p => p.Add(c => c.Video, Video(null)));

        Assert.Empty(cut.FindAll("img"));
        var placeholder = cut.Find("[data-testid=video-placeholder]");
        Assert.Contains("Video preview needs internet:", placeholder.TextContent);
        Assert.Contains("POV: the beat drops at 0:07", placeholder.TextContent);
        var link = placeholder.QuerySelector("a")!;
        Assert.Equal(("open on TikTok", "https://www.tiktok.com/@dance.daily/video/7301234567890000001", "_blank"),
            (link.TextContent, link.GetAttribute("href"), link.GetAttribute("target")));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/svg+xml,<svg onload=alert(1)>")]
    [InlineData("/relative.jpg")]
    public void AStoredCoverThatIsNotAnHttpUrlIsNeverAnImageSource(string cover)
    {
        var cut = Render<TikTokPlayer>(p => p.Add(c => c.Video, Video(cover)));

        Assert.Empty(cut.FindAll("img"));
        Assert.Contains("Video preview needs internet", cut.Find("[data-testid=video-placeholder]").TextContent);
    }

    [Fact]
    public void TheFallbackWatcherStartsForEachVideoWithItsTimeout()
    {
        var module = JSInterop.SetupModule("./Components/Pages/Rate/TikTokPlayer.razor.js");
        module.SetupVoid("watch", _ => true);

        var cut = Render<TikTokPlayer>(p => p.Add(c => c.Video, Video(null)));
        cut.Render(p => p.Add(c => c.Video, Video(Cover) with { Id = 12 }));

        var calls = module.VerifyInvoke("watch", calledTimes: 2);
        Assert.All(calls, call => Assert.Equal(TikTokPlayer.FallbackMilliseconds, call.Arguments[1]));
    }
}
