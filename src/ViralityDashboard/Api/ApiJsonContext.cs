using System.Text.Json;
using System.Text.Json.Serialization;
using ViralityDashboard.Training;

namespace ViralityDashboard.Api;

/// <summary>
/// Source-generated JSON for the API's request and response bodies (same web defaults as before: camelCase,
/// case-insensitive reading). /api/predict is the hot path; the generated serializers skip reflection metadata.
/// Types not listed here fall back to the reflection-based resolver behind it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(ReasonRequest))]
[JsonSerializable(typeof(RetrainRequest))]
[JsonSerializable(typeof(RetrainAccepted))]
[JsonSerializable(typeof(ViralityDashboard.Data.Import.ImportReport))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
