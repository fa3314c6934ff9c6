using System.Text;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class TrainingDataFileTests
{
    private static readonly TrainingDataFile Sample = new(
        ["a", "b"],
        new TrainingDataPart([[0.1f, 0.2f], [0.3f, 0.4f]], [1, 5]),
        new TrainingDataPart([[0.5f, 0.6f]], [3]));

    [Fact]
    public void WritesTheSeedsPropertyNames()
    {
        var json = Sample.ToJson();

        Assert.Equal(
            """{"featureNames":["a","b"],"trainSet":{"features":[[0.1,0.2],[0.3,0.4]],"labels":[1,5]},"testSet":{"features":[[0.5,0.6]],"labels":[3]}}""",
            json);
    }

    [Fact]
    public async Task RoundTripsThroughAStream()
    {
        using var stream = new MemoryStream();
        await Sample.WriteAsync(stream);
        stream.Position = 0;

        var read = await TrainingDataFile.ReadAsync(stream);

        Assert.Equal(Sample.FeatureNames, read.FeatureNames);
        Assert.Equal(Sample.TrainSet.Features, read.TrainSet.Features);
        Assert.Equal(Sample.TestSet.Labels, read.TestSet.Labels);
    }

    [Fact]
    public void RejectsRowsWithTheWrongNumberOfFeatures()
    {
        const string json = """{"featureNames":["a","b"],"trainSet":{"features":[[0.1]],"labels":[1]},"testSet":{"features":[],"labels":[]}}""";

        Assert.Throws<InvalidDataException>(() => TrainingDataFile.FromJson(json));
    }

    [Fact]
    public void TurnsIntoRowsWithAPredefinedSide()
    {
        var rows = Sample.ToRows();

        Assert.Equal([false, false, true], rows.Select(r => r.IsTest!.Value));
        Assert.Equal([1, 5, 3], rows.Select(r => r.Label));
    }
}
