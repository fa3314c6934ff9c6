using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class LeakageCheckTests
{
    private static readonly FeatureSet TwoFeatures = new("test",
    [
        new FeatureDefinition("viewsDerived", FeatureSource.Views | FeatureSource.Followers, false, ""),
        new FeatureDefinition("noise", FeatureSource.Metadata, true, ""),
    ]);

    [Fact]
    public void FlagsAFeatureComputedFromTheLabelsSourceThatPredictsItAlone()
    {
        var (x, y) = TierModelTrainerTests.Separable(50, seed: 11);
        var (testX, testY) = TierModelTrainerTests.Separable(20, seed: 12);
        var set = new FeatureSet("three", [.. TwoFeatures.Features, new FeatureDefinition("noise2", FeatureSource.Metadata, true, "")]);

        var result = LeakageCheck.Run(set, TierScheme.Views.LabelSources, x, y, testX, testY);

        var leaky = result[0];
        Assert.True(leaky.ComputedFromLabelSource);
        Assert.True(leaky.StrongAlone);
        Assert.True(leaky.OneFeatureAccuracy > 0.9);
        Assert.NotNull(leaky.Warning);
        Assert.False(result[1].ComputedFromLabelSource);
        Assert.False(result[1].StrongAlone);
        Assert.Null(result[1].Warning);
        Assert.Equal(0.2, leaky.BaselineAccuracy, 6);
    }

    [Fact]
    public void FlagsViewsPerFollowerButNotMetadataUnderViewTiers()
    {
        var dataset = EngagementDataset.Build(SyntheticVideos.Generate(1000, 3), FeatureSet.Seed15, TierScheme.Views);
        var x = dataset.Rows.Select(r => r.Features).ToArray();
        var y = dataset.Rows.Select(r => r.Label).ToArray();

        var result = LeakageCheck.Run(FeatureSet.Seed15, TierScheme.Views.LabelSources, x[..800], y[..800], x[800..], y[800..]);

        Assert.True(result.Single(r => r.Feature == SeedFeatures.ViewsPerFollower).ComputedFromLabelSource);
        Assert.True(result.Single(r => r.Feature == SeedFeatures.ShareRate).ComputedFromLabelSource);
        Assert.False(result.Single(r => r.Feature == SeedFeatures.ShareToLikeRatio).ComputedFromLabelSource);
        Assert.False(result.Single(r => r.Feature == SeedFeatures.HourPosted).ComputedFromLabelSource);
    }
}
