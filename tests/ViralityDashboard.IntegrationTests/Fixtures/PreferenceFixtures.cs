using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.IntegrationTests.Fixtures;

/// <summary>
/// Small synthetic analyses (a dozen features, not the demo's hundred-odd, to keep runs fast) with owner
/// ratings that follow a known linear taste plus a little noise. The feature_count column is set to 120, so
/// the rows pass the ≥ 100 filter; what counts for the filter is the column, as in the seed's query.
/// </summary>
public static class PreferenceFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>No cross-validation (fast runs); the data-trigger cron is never scheduled by a test host anyway.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Virality:Preference:CrossValidationFolds"] = "0" };
        foreach (var (key, value) in extra)
            settings[$"Virality:Preference:{key}"] = value;
        return settings;
    }

    /// <summary>An analysis of video <paramref name="index"/>; <paramref name="drifted"/> moves shot complexity above its usual range.</summary>
    public static (string Json, double Score) Analysis(int index, bool drifted = false)
    {
        var random = new Random(1_000 + index);
        var replicability = Math.Round(random.NextDouble() * 10, 1);
        var timing = Math.Round(random.NextDouble() * 10, 1);
        var complexity = Math.Round(drifted ? 8 + random.NextDouble() * 2 : random.NextDouble() * 7, 1);
        var meme = random.NextDouble() < 0.4;
        var effects = new[] { "laugh", "ding", "whoosh" }.Where(_ => random.NextDouble() < 0.5).ToArray();
        var style = new[] { "deadpan", "slapstick", "parody" }[random.Next(3)];
        var score = Math.Clamp(0.5 + 0.30 * (replicability / 10 - 0.5) + 0.25 * (timing / 10 - 0.5) - 0.25 * (complexity / 7 - 0.5)
            - 0.08 * ((meme ? 1 : 0) - 0.4) + (random.NextDouble() - 0.5) * 0.06, 0, 1);
        var json = new JsonObject
        {
            ["script"] = new JsonObject
            {
                ["replicability"] = new JsonObject { ["score"] = replicability },
                ["humor"] = new JsonObject { ["comedyTiming"] = timing },
            },
            ["production"] = new JsonObject { ["shotComplexity"] = complexity },
            ["trends"] = new JsonObject { ["memeDependent"] = meme },
            ["audio"] = new JsonObject { ["soundEffects"] = new JsonArray(effects.Select(e => (JsonNode)e).ToArray()) },
            ["comedyStyle"] = style,
            ["noise"] = new JsonObject { ["a"] = random.Next(0, 100), ["b"] = Math.Round(random.NextDouble(), 3), ["c"] = random.Next(0, 5) },
            ["summary"] = $"free text {index}",
        };
        return (json.ToJsonString(), Math.Round(score, 3));
    }

    /// <summary>Adds videos <paramref name="from"/>..from+count−1, each analyzed (v3, 120 features) and rated by the owner one minute apart.</summary>
    public static async Task SeedRatedAsync(TestDatabase db, int from, int count, bool drifted = false)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        for (var i = from; i < from + count; i++)
        {
            var (json, score) = Analysis(i, drifted);
            var video = Video(i);
            video.Analyses.Add(new AnalyzedVideo { AnalysisVersion = "v3", VisualAnalysis = json, FeatureCount = 120, AnalyzedAt = T0.AddMinutes(i) });
            video.Ratings.Add(new VideoRating
            {
                Rater = "owner",
                RaterType = RaterType.Owner,
                OverallScore = score,
                // Every rating carries a hook score (a dimension model needs as many rows as the first model),
                // so a hook model is trained beside the overall one; the other dimensions stay empty.
                Hook = Math.Round(Math.Clamp(score + (i % 7 - 3) * 0.01, 0, 1), 2),
                Notes = i % 3 == 0 ? $"note on video {i}" : null,
                RatedAt = T0.AddMinutes(i),
                SecondsSpent = 20,
            });
            ctx.ScrapedVideos.Add(video);
        }
        await ctx.SaveChangesAsync();
    }

    /// <summary>Three rated videos that are not training rows: a v2 analysis, too few features, a rater who is not the owner.</summary>
    public static async Task<long[]> SeedExcludedAsync(TestDatabase db, int from)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var cases = new[] { ("v2", 120, RaterType.Owner), ("v3", 99, RaterType.Owner), ("v3", 120, RaterType.Other) };
        var ratings = new List<VideoRating>();
        for (var k = 0; k < cases.Length; k++)
        {
            var (version, features, rater) = cases[k];
            var video = Video(from + k);
            video.Analyses.Add(new AnalyzedVideo { AnalysisVersion = version, VisualAnalysis = Analysis(from + k).Json, FeatureCount = features, AnalyzedAt = T0 });
            var rating = new VideoRating { Rater = rater == RaterType.Owner ? "owner" : "guest", RaterType = rater, OverallScore = 0.5, RatedAt = T0.AddMinutes(from + k), SecondsSpent = 5 };
            video.Ratings.Add(rating);
            ratings.Add(rating);
            ctx.ScrapedVideos.Add(video);
        }
        await ctx.SaveChangesAsync();
        return ratings.Select(r => r.Id).ToArray();
    }

    private static ScrapedVideo Video(int i) => new()
    {
        PlatformVideoId = "pref" + i.ToString(CultureInfo.InvariantCulture),
        Views = 1_000 + i,
        Likes = 50,
        FirstSeenAt = T0,
        LastScrapedAt = T0,
    };
}
