using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Core.Tests.Preference;

/// <summary>Demo ratings (a known linear taste over analysis features, plus noise) as preference rows, generated once.</summary>
internal static class PreferenceDemoData
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<IReadOnlyList<PreferenceRow>> Rows500 = new(() => Generate(500));

    /// <summary>The first <paramref name="count"/> (≤ 500) rows by rating time, as the owner would have rated them.</summary>
    public static IReadOnlyList<PreferenceRow> Rows(int count) =>
        Rows500.Value.OrderBy(r => r.RatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Take(count).ToArray();

    public static IReadOnlyList<PreferenceRow> Generate(int analyzed, int seed = 42)
    {
        var data = DemoDataGenerator.Generate(new DemoDataOptions { Now = Now, Videos = 2_000, Analyzed = analyzed, Seed = seed });
        var analyses = data.AnalyzedVideos.ToDictionary(a => a.VideoId, StringComparer.Ordinal);
        return data.Ratings
            .Select(r => new PreferenceRow(
                "rating-" + r.VideoId,
                AnalysisFlattener.Flatten(analyses[r.VideoId].VisualAnalysisJson),
                r.OverallScore,
                new RatingDimensions(r.Hook, r.Pacing, r.Payoff, r.Originality, r.Rewatchable),
                r.RatedAt))
            .ToArray();
    }
}
