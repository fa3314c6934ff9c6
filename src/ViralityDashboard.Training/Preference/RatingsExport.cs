using System.Text.Json;

namespace ViralityDashboard.Training.Preference;

/// <summary>
/// <c>export-ratings</c>: exactly a preference run's training rows as JSON, in the shape of seed 003's export
/// script (snake_case, the analysis nested under <c>video.visual_analysis</c>), plus the side of the split each
/// row falls on when the milestone trains a model.
/// </summary>
public static class RatingsExport
{
    /// <summary>The seed's file name: <c>training_data_YYYY-MM-DD.json</c> (UTC date).</summary>
    public static string DefaultFileName(DateTimeOffset now) => $"training_data_{now.UtcDateTime:yyyy-MM-dd}.json";

    public static async Task WriteAsync(Stream output, PreparedPreferenceData data, CancellationToken ct = default)
    {
        await using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        for (var i = 0; i < data.Sources.Count; i++)
        {
            var r = data.Sources[i];
            w.WriteStartObject();
            w.WriteNumber("id", r.RatingId);
            w.WriteNumber("video_id", r.VideoId);
            w.WriteString("platform_video_id", r.PlatformVideoId);
            w.WriteNumber("overall_score", r.OverallScore);
            w.WriteStartObject("dimensions");
            foreach (var (name, value) in new[] { ("hook", r.Hook), ("pacing", r.Pacing), ("payoff", r.Payoff), ("originality", r.Originality), ("rewatchable", r.Rewatchable) })
            {
                if (value is { } v)
                    w.WriteNumber(name, v);
                else
                    w.WriteNull(name);
            }
            w.WriteEndObject();
            w.WriteString("notes", r.Notes);
            w.WriteString("rated_at", r.RatedAt);
            w.WriteString("split", data.Sides?[i]);
            w.WriteStartObject("video");
            w.WriteString("analysis_version", r.AnalysisVersion);
            w.WriteNumber("feature_count", r.FeatureCount);
            w.WritePropertyName("visual_analysis");
            w.WriteRawValue(r.VisualAnalysis);
            w.WriteEndObject();
            w.WriteEndObject();
            if (w.BytesPending > 64 * 1024)
                await w.FlushAsync(ct);
        }
        w.WriteEndArray();
        await w.FlushAsync(ct);
    }
}
