using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Tests.Engagement;

public class FallbackTrainingSetTests
{
    [Fact]
    public void GeneratesTheSameSetForTheSameSeed()
    {
        var first = FallbackTrainingSet.Generate(count: 500, seed: 42).ToJson();
        var second = FallbackTrainingSet.Generate(count: 500, seed: 42).ToJson();

        Assert.Equal(first, second);
    }

    [Fact]
    public void HoldsSeed15FeaturesTierLabelsAndAnEightyTwentySplit()
    {
        var file = FallbackTrainingSet.Generate(count: 1000, seed: 1);

        Assert.Equal(FeatureSet.Seed15.FeatureNames, file.FeatureNames);
        Assert.Equal(800, file.TrainSet.Labels.Length);
        Assert.Equal(200, file.TestSet.Labels.Length);
        Assert.All(file.TrainSet.Labels.Concat(file.TestSet.Labels), l => Assert.InRange(l, 1, 5));
        Assert.All(file.TrainSet.Features.SelectMany(f => f), v => Assert.InRange(v, 0f, 1f));
    }
}
