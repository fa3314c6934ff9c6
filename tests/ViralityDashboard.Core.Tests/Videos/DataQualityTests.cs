using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Videos;

public class DataQualityTests
{
    private static readonly ScrapedVideoRecord CommentsOff = new() { VideoId = "off", Views = 1_000_000, Likes = 80_000, Shares = 900, Comments = null, DurationSeconds = 15 };

    [Fact]
    public void FlagsAVideoWithCommentsTurnedOffAndKeepsItOutOfTraining()
    {
        Assert.Equal(DataQualityFlags.CommentsUnknown, CommentsOff.Flags);
        Assert.False(DataQuality.IsTrainable(CommentsOff.Views, CommentsOff.Flags));
        Assert.Equal(DataQualityFlags.None, (CommentsOff with { Comments = 0 }).Flags);
    }

    [Fact]
    public void AVideoWithCommentsTurnedOffIsLeftOutOfADataset()
    {
        var videos = SyntheticVideos.Generate(200, 5).Where(v => DataQuality.IsTrainable(v.Views, v.Flags)).Append(CommentsOff).ToList();

        var dataset = EngagementDataset.Build(videos, FeatureSet.Seed15, TierScheme.Wes);

        Assert.DoesNotContain(dataset.Rows, r => r.Id == "off");
        Assert.Equal(1, dataset.ExcludedCount);
    }

    [Fact]
    public void UnknownCommentsGiveZeroCommentRatesAndNoWes()
    {
        var features = FeatureExtractor.ExtractSeed15(CommentsOff);

        Assert.Equal(0f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.CommentRate)]);
        Assert.Equal(0f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.CommentToLikeRatio)]);
        Assert.Equal(0.08f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.LikeRate)], 5);
        Assert.Throws<ArgumentException>(() => WeightedEngagementScore.Compute(CommentsOff));
    }
}
