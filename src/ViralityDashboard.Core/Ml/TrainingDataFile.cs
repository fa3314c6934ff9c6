using System.Text.Json;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

/// <summary>One side of a training file: feature rows and their tier labels (1–5).</summary>
public sealed record TrainingDataPart(
    [property: JsonPropertyName("features")] float[][] Features,
    [property: JsonPropertyName("labels")] int[] Labels);

/// <summary>
/// The seeds' training-data JSON (seed 000): <c>{"featureNames": [...], "trainSet": {"features": [[...]], "labels": [...]}, "testSet": {...}}</c>.
/// Read and written from strings or streams; files are the caller's business.
/// </summary>
public sealed record TrainingDataFile(
    [property: JsonPropertyName("featureNames")] string[] FeatureNames,
    [property: JsonPropertyName("trainSet")] TrainingDataPart TrainSet,
    [property: JsonPropertyName("testSet")] TrainingDataPart TestSet)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public Task WriteAsync(Stream stream, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(stream, this, Options, cancellationToken);

    public static TrainingDataFile FromJson(string json) => Validate(JsonSerializer.Deserialize<TrainingDataFile>(json, Options));

    public static async Task<TrainingDataFile> ReadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        Validate(await JsonSerializer.DeserializeAsync<TrainingDataFile>(stream, Options, cancellationToken));

    /// <summary>The file's rows as training rows with a predefined side; ids are "train-i" / "test-i".</summary>
    public IReadOnlyList<TrainingRow> ToRows()
    {
        var rows = new List<TrainingRow>(TrainSet.Labels.Length + TestSet.Labels.Length);
        for (var i = 0; i < TrainSet.Labels.Length; i++)
            rows.Add(new TrainingRow($"train-{i}", TrainSet.Features[i], TrainSet.Labels[i], null, IsTest: false));
        for (var i = 0; i < TestSet.Labels.Length; i++)
            rows.Add(new TrainingRow($"test-{i}", TestSet.Features[i], TestSet.Labels[i], null, IsTest: true));
        return rows;
    }

    private static TrainingDataFile Validate(TrainingDataFile? file)
    {
        if (file?.FeatureNames is null || file.TrainSet?.Features is null || file.TrainSet.Labels is null
            || file.TestSet?.Features is null || file.TestSet.Labels is null)
            throw new InvalidDataException("Training data JSON needs featureNames, trainSet and testSet with features and labels.");
        foreach (var (part, name) in new[] { (file.TrainSet, "trainSet"), (file.TestSet, "testSet") })
        {
            if (part.Features.Length != part.Labels.Length)
                throw new InvalidDataException($"{name}: {part.Features.Length} feature rows but {part.Labels.Length} labels.");
            if (part.Features.Any(f => f.Length != file.FeatureNames.Length))
                throw new InvalidDataException($"{name}: every row needs {file.FeatureNames.Length} features.");
            if (part.Labels.Any(l => l is < 1 or > TierModel.TierCount))
                throw new InvalidDataException($"{name}: labels lie in 1..{TierModel.TierCount}.");
        }
        return file;
    }
}
