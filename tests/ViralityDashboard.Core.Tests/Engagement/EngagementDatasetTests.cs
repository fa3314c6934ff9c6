using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Tests.Engagement;

public class EngagementDatasetTests
{
    [Fact]
    public void ExcludesZeroViewAndGlitchedRows()
    {
        ScrapedVideoRecord[] videos =
        [
            new() { VideoId = "ok1", Views = 100, Likes = 10 },
            new() { VideoId = "ok2", Views = 200, Likes = 10 },
            new() { VideoId = "zero", Views = 0, Likes = 0 },
            new() { VideoId = "glitch", Views = 10, Likes = 50 },
        ];

        var dataset = EngagementDataset.Build(videos, FeatureSet.Seed15, TierScheme.Views);

        Assert.Equal(["ok1", "ok2"], dataset.Rows.Select(r => r.Id));
        Assert.Equal(2, dataset.ExcludedCount);
    }

    [Fact]
    public void LabelsWithGivenThresholdsFromAStoredBaseline()
    {
        var thresholds = new TierThresholds("views", TierMeasure.Views, [0.2, 0.4, 0.6, 0.8], [100, 200, 300, 400]);
        ScrapedVideoRecord[] videos = [new() { VideoId = "a", Views = 100 }, new() { VideoId = "b", Views = 401 }];

        var dataset = EngagementDataset.Build(videos, FeatureSet.PrePosting, TierScheme.Views, thresholds: thresholds);

        Assert.Equal([1, 5], dataset.Rows.Select(r => r.Label));
        Assert.All(dataset.Rows, r => Assert.Equal(8, r.Features.Length));
    }

    [Fact]
    public void ARowMadeWhileReadingEqualsTheRowOfTheWholeDataset()
    {
        var videos = SyntheticVideos.Generate(300, 5).Where(v => DataQuality.IsTrainable(v.Views, v.Flags)).ToList();
        var whole = EngagementDataset.Build(videos, FeatureSet.Seed15, TierScheme.Wes);

        var oneByOne = videos.Select(v => EngagementDataset.Row(v, FeatureSet.Seed15, TierScheme.Wes, whole.Thresholds)).ToList();

        Assert.Equal(whole.Rows.Select(r => (r.Id, r.Label, r.PostedAt)), oneByOne.Select(r => (r.Id, r.Label, r.PostedAt)));
        Assert.Equal(whole.Rows.SelectMany(r => r.Features), oneByOne.SelectMany(r => r.Features));
        Assert.Throws<ArgumentException>(() => EngagementDataset.Row(videos[0], FeatureSet.Seed15, TierScheme.Views, whole.Thresholds));
    }
}
