using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Engagement;

public class FeatureExtractorTests
{
    // 2025-03-05 is a Wednesday: weekday 3 (Sunday = 0).
    private static readonly ScrapedVideoRecord Example = new()
    {
        VideoId = "v1",
        Views = 1000,
        Likes = 100,
        Comments = 10,
        Shares = 20,
        Saves = null,
        DurationSeconds = 90,
        Hashtags = ["a", "b", "c"],
        SoundName = "original sound",
        Description = new string('x', 100),
        CreatedAt = new DateTimeOffset(2025, 3, 5, 14, 30, 0, TimeSpan.Zero),
        AuthorFollowers = 50_000,
    };

    [Fact]
    public void ComputesTheFifteenSeedFeaturesOfAHandWorkedExample()
    {
        var features = FeatureExtractor.ExtractSeed15(Example);

        float[] expected =
        [
            0.02f, 0.01f, 0.1f, 0.015f, // share, comment, like, save (likes × 0.15) rates
            0.2f, 0.1f,                 // shares/likes, comments/likes
            0.5f, 0.1f, 1f, 0.05f,      // 90/180 s, 3/30 tags, sound, 100/2000 chars
            1f, 0.3f, 0.0004f,          // follower data, micro tier, 1000/50000/50
            0.5f, 14f / 23f,            // Wednesday 3/6, 14 h/23
        ];
        Assert.Equal(expected.Length, features.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], features[i], 5);
    }

    [Fact]
    public void NamesTheSeedFeaturesInTheOrderOfSeed004()
    {
        string[] expected =
        [
            "shareRate", "commentRate", "likeRate", "saveRate", "shareToLikeRatio", "commentToLikeRatio",
            "durationSeconds", "hashtagCount", "hasTrendingSound", "captionLength", "hasFollowerData",
            "followerTier", "viewsPerFollower", "weekdayPosted", "hourPosted",
        ];

        Assert.Equal(expected, FeatureSet.Seed15.FeatureNames);
    }

    [Fact]
    public void UsesReportedSavesWhenTheSourceHasThem()
    {
        var video = Example with { Saves = 50 };

        var features = FeatureExtractor.ExtractSeed15(video);

        Assert.Equal(0.05f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.SaveRate)], 6);
    }

    [Fact]
    public void ClampsEveryFeatureToTheUnitInterval()
    {
        var video = Example with
        {
            Views = 100, Likes = 500, Shares = 4000, Comments = 3000, DurationSeconds = 900,
            Hashtags = Enumerable.Range(0, 45).Select(i => $"t{i}").ToArray(), Description = new string('y', 5000),
            AuthorFollowers = 1,
        };

        var features = FeatureExtractor.ExtractSeed15(video);

        Assert.All(features, f => Assert.InRange(f, 0f, 1f));
        Assert.Equal(1f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.LikeRate)]);
        Assert.Equal(1f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.ViewsPerFollower)]);
    }

    [Fact]
    public void FallsBackToSeedDefaultsWhenValuesAreMissing()
    {
        var video = new ScrapedVideoRecord { VideoId = "v2", Views = 100, Likes = 0 };

        var features = FeatureExtractor.ExtractSeed15(video);

        var set = FeatureSet.Seed15;
        Assert.Equal(30f / 180f, features[set.IndexOf(SeedFeatures.DurationSeconds)], 6);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.ShareToLikeRatio)]);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.HasTrendingSound)]);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.HasFollowerData)]);
        Assert.Equal(0.5f, features[set.IndexOf(SeedFeatures.FollowerTier)]);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.ViewsPerFollower)]);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.WeekdayPosted)]);
        Assert.Equal(0f, features[set.IndexOf(SeedFeatures.HourPosted)]);
    }

    [Fact]
    public void TreatsAZeroFollowerCountAsUnknown()
    {
        var video = Example with { AuthorFollowers = 0 };

        var features = FeatureExtractor.ExtractSeed15(video);

        Assert.Equal(0f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.HasFollowerData)]);
        Assert.Equal(0.5f, features[FeatureSet.Seed15.IndexOf(SeedFeatures.FollowerTier)]);
    }

    [Theory]
    [InlineData(1L, 0.1)]
    [InlineData(9_999L, 0.1)]
    [InlineData(10_000L, 0.3)]
    [InlineData(99_999L, 0.3)]
    [InlineData(100_000L, 0.5)]
    [InlineData(499_999L, 0.5)]
    [InlineData(500_000L, 0.7)]
    [InlineData(999_999L, 0.7)]
    [InlineData(1_000_000L, 0.9)]
    public void EncodesFollowerTiersAtTheirThresholds(long followers, double expected)
    {
        Assert.Equal(expected, FollowerTiers.Encode(followers));
    }

    [Fact]
    public void PrePostingSetTakesOnlyFeaturesKnownBeforePosting()
    {
        var full = FeatureExtractor.ExtractSeed15(Example);

        var pre = FeatureExtractor.Extract(Example, FeatureSet.PrePosting);

        Assert.Equal(
            ["durationSeconds", "hashtagCount", "hasTrendingSound", "captionLength", "hasFollowerData", "followerTier", "weekdayPosted", "hourPosted"],
            FeatureSet.PrePosting.FeatureNames);
        for (var i = 0; i < pre.Length; i++)
            Assert.Equal(full[FeatureSet.Seed15.IndexOf(FeatureSet.PrePosting.Features[i].Name)], pre[i]);
    }
}
