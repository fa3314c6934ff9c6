using System.IO.Compression;
using System.Text;
using ViralityDashboard.Core.Preference;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.Training.Preference;

/// <summary>Headline figures of one per-dimension model, stored with the version.</summary>
public sealed record DimensionSummary(string Dimension, int RowCount, PreferenceModelKind Kind, int FeatureCount, ErrorMetrics Test, ErrorMetrics MeanBaseline, ModelVerdict Verdict);

/// <summary>
/// What a preference version's <c>model_versions.metrics</c> holds: the selected model's evaluation, the gate,
/// the last rating it trained on (the retrain triggers count "new" ratings after it) and the drift reference.
/// </summary>
public sealed record PreferenceVersionMetrics(
    PreferenceModelKind Kind,
    PreferenceMilestone Milestone,
    int RowCount,
    int TrainCount,
    int TestCount,
    ErrorMetrics Test,
    ErrorMetrics Train,
    ErrorMetrics MeanBaseline,
    CrossValidationResult? CrossValidation,
    ModelVerdict Verdict,
    PreviousComparison? Previous,
    PreferenceGateDecision Gate,
    RatingWatermark LastRating,
    DriftReference? DriftReference,
    IReadOnlyList<DimensionSummary> Dimensions);

/// <summary>A per-dimension model loaded for prediction.</summary>
public sealed record LoadedDimensionModel(string Dimension, NormalizationConfig Normalization, PreferenceModel Model, double TestR2);

/// <summary>A preference version loaded for prediction. The models are thread-safe; share it.</summary>
public sealed record LoadedPreferenceModel(
    long VersionId,
    string VersionTag,
    DateTimeOffset TrainedAt,
    PreferenceModelKind Kind,
    NormalizationConfig Normalization,
    PreferenceModel Model,
    PreferenceVersionMetrics Metrics,
    IReadOnlyList<LoadedDimensionModel> Dimensions) : ILoadedModel;

/// <summary>
/// The bytes of a preference version: a zip with the overall model (<c>model</c>) and, per dimension,
/// its model and its own normalization config, which may keep other columns after pruning.
/// </summary>
public static class PreferenceArtifact
{
    private const string OverallEntry = "model";

    public static byte[] Pack(PreferenceTrainingResult result)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, OverallEntry, result.ModelBytes);
            foreach (var d in result.Dimensions)
            {
                Write(zip, $"dimensions/{d.Dimension}.model", d.ModelBytes);
                Write(zip, $"dimensions/{d.Dimension}.normalization.json", Encoding.UTF8.GetBytes(d.Normalization.ToJson()));
            }
        }
        return stream.ToArray();
    }

    public static (PreferenceModel Model, IReadOnlyList<LoadedDimensionModel> Dimensions) Unpack(byte[] artifact, PreferenceVersionMetrics metrics)
    {
        using var zip = new ZipArchive(new MemoryStream(artifact, writable: false), ZipArchiveMode.Read);
        var model = PreferenceModel.FromBytes(Read(zip, OverallEntry), metrics.Kind);
        var dimensions = metrics.Dimensions
            .Where(d => zip.GetEntry($"dimensions/{d.Dimension}.model") is not null)
            .Select(d => new LoadedDimensionModel(
                d.Dimension,
                NormalizationConfig.FromJson(Encoding.UTF8.GetString(Read(zip, $"dimensions/{d.Dimension}.normalization.json"))),
                PreferenceModel.FromBytes(Read(zip, $"dimensions/{d.Dimension}.model"), d.Kind),
                d.Test.R2))
            .ToArray();
        return (model, dimensions);
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        entry.Write(bytes);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"The preference artifact has no '{name}' entry.");
        using var source = entry.Open();
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        return copy.ToArray();
    }
}
