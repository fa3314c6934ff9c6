using ViralityDashboard.Core.Ml;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Preference;

namespace ViralityDashboard.IntegrationTests.Training.Preference;

public sealed class RatingQueueRankerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TrainingRequest Request = new(ModelKind: ModelKind.Preference);

    /// <summary>Unrated videos "unrated{i}", each with a v3 analysis; <paramref name="edit"/> may change the analysis.</summary>
    private static async Task<long[]> SeedUnratedAsync(TestDatabase db, int from, int count, Action<JsonObject>? edit = null, int featureCount = 120)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var videos = new List<ScrapedVideo>();
        for (var i = from; i < from + count; i++)
        {
            var json = JsonNode.Parse(PreferenceFixtures.Analysis(i).Json)!.AsObject();
            edit?.Invoke(json);
            var video = new ScrapedVideo
            {
                PlatformVideoId = "unrated" + i.ToString(CultureInfo.InvariantCulture),
                Description = $"unrated video {i}",
                Views = 500 + i,
                FirstSeenAt = PreferenceFixtures.T0,
                LastScrapedAt = PreferenceFixtures.T0,
                CreatedAt = PreferenceFixtures.T0.AddDays(30).AddMinutes(i),
            };
            video.Analyses.Add(new AnalyzedVideo { AnalysisVersion = "v3", VisualAnalysis = json.ToJsonString(), FeatureCount = featureCount, AnalyzedAt = PreferenceFixtures.T0.AddDays(30) });
            ctx.ScrapedVideos.Add(video);
            videos.Add(video);
        }
        await ctx.SaveChangesAsync();
        return videos.Select(v => v.Id).ToArray();
    }

    private static async Task<TestDatabase> TrainedAsync(PostgresFixture postgres, params (string, string)[] settings)
    {
        var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings(settings));
        await PreferenceFixtures.SeedRatedAsync(db, 0, 200);
        var run = await db.Get<PreferenceTrainingService>().RunAsync(Request, RunTrigger.Manual);
        Assert.True(run.Activated, string.Join("; ", run.Reasons));
        return db;
    }

    [Fact]
    public async Task OutOfDistributionAndIncompleteVideosComeBeforeOrdinaryOnes()
    {
        await using var db = await TrainedAsync(postgres);
        var ordinary = await SeedUnratedAsync(db, 1_000, 30);
        // Shot complexity was 0–7 in every training analysis; 20 is far outside, 9 a little.
        var far = await SeedUnratedAsync(db, 2_000, 2, a => a["production"]!["shotComplexity"] = 20);
        var near = await SeedUnratedAsync(db, 3_000, 2, a => a["production"]!["shotComplexity"] = 9);
        var incomplete = await SeedUnratedAsync(db, 4_000, 1, a => a.Remove("script"));
        await SeedUnratedAsync(db, 5_000, 3, a => a["production"]!["shotComplexity"] = 50, featureCount: 99); // not a candidate: too few features

        var queue = await db.Get<RatingQueueRanker>().GetQueueAsync(null, 50);

        // far: 2 training ranges outside on 1 of 14 features (0.14); one of 15 columns missing (0.13); near: 0.3 ranges (0.02).
        Assert.Equal(35, queue.Count);
        Assert.Equal(far.Order(), queue.Take(2).Select(q => q.Video.Id).Order());
        Assert.Equal(incomplete[0], queue[2].Video.Id);
        Assert.Equal(near.Order(), queue.Skip(3).Take(2).Select(q => q.Video.Id).Order());
        Assert.Subset(ordinary.ToHashSet(), queue.Skip(5).Select(q => q.Video.Id).ToHashSet());
        Assert.True(queue[0].Uncertainty.Distance > queue[3].Uncertainty.Distance);
        Assert.True(queue[2].Uncertainty.Coverage < 1);
        Assert.All(queue.Skip(5), q => Assert.Equal((0.0, 1.0), (q.Uncertainty.Distance, q.Uncertainty.Coverage)));
        Assert.Null(queue[0].Uncertainty.TreeSpread); // ridge at 200 rows
    }

    [Fact]
    public async Task AVideoRatedAfterTheRankingLeavesTheCachedQueueAndTheFilterApplies()
    {
        await using var db = await TrainedAsync(postgres);
        var far = await SeedUnratedAsync(db, 2_000, 1, a => a["production"]!["shotComplexity"] = 20);
        await SeedUnratedAsync(db, 1_000, 5);
        var ranker = db.Get<RatingQueueRanker>();
        var before = await ranker.RankAsync();
        Assert.Equal(far[0], (await ranker.GetQueueAsync(null, 10))[0].Video.Id);

        await using (var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync())
        {
            ctx.VideoRatings.Add(new VideoRating { VideoId = far[0], Rater = "owner", RaterType = RaterType.Owner, OverallScore = 0.4, RatedAt = PreferenceFixtures.T0.AddDays(40) });
            await ctx.SaveChangesAsync();
        }
        var after = await ranker.GetQueueAsync(null, 10);

        Assert.Same(before, await ranker.RankAsync()); // cached: not recomputed
        Assert.DoesNotContain(far[0], after.Select(q => q.Video.Id));
        Assert.Equal(5, after.Count);
        Assert.Equal(["unrated1003"], (await ranker.GetQueueAsync("video 1003", 10)).Select(q => q.Video.PlatformVideoId));
    }

    [Fact]
    public async Task TheCandidateLimitCapsTheScoredVideosToTheNewestAnalyses()
    {
        await using var db = await TrainedAsync(postgres, ("UncertaintyCandidateLimit", "4"));
        await SeedUnratedAsync(db, 1_000, 6);

        var ranking = await db.Get<RatingQueueRanker>().RankAsync();

        Assert.NotNull(ranking);
        Assert.Equal((4, true), (ranking.Candidates, ranking.Capped));
    }

    [Fact]
    public async Task WithoutAnActivePreferenceModelThereIsNoUncertaintyQueue()
    {
        await using var db = await postgres.CreateDatabaseAsync(PreferenceFixtures.Settings());
        await SeedUnratedAsync(db, 1_000, 3);
        var ranker = db.Get<RatingQueueRanker>();

        Assert.Null(await ranker.ActiveVersionAsync());
        Assert.Empty(await ranker.GetQueueAsync(null, 10));
    }
}
