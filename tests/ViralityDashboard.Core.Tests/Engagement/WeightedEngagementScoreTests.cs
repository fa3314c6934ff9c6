using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Engagement;

public class WeightedEngagementScoreTests
{
    [Fact]
    public void WeighsLikesCommentsSharesAndSavesOverViews()
    {
        var video = new ScrapedVideoRecord { VideoId = "v", Views = 100, Likes = 10, Comments = 2, Shares = 1, Saves = 3 };

        var wes = WeightedEngagementScore.Compute(video);

        Assert.Equal((10 * 1 + 2 * 2 + 1 * 3 + 3 * 2) / 100.0, wes, 12);
    }

    [Fact]
    public void EstimatesMissingSavesFromLikes()
    {
        var video = new ScrapedVideoRecord { VideoId = "v", Views = 100, Likes = 10, Comments = 2, Shares = 1, Saves = null };

        var wes = WeightedEngagementScore.Compute(video);

        Assert.Equal((10 + 4 + 3 + 2 * 1.5) / 100.0, wes, 12);
    }

    [Fact]
    public void UsesConfiguredWeights()
    {
        var wes = WeightedEngagementScore.Compute(views: 10, likes: 1, comments: 1, shares: 1, saves: 1, new WesWeights(1, 0, 0, 0));

        Assert.Equal(0.1, wes, 12);
    }

    [Fact]
    public void GivesZeroForZeroViews()
    {
        Assert.Equal(0, WeightedEngagementScore.Compute(views: 0, likes: 5, comments: 0, shares: 0, saves: 0));
    }
}
