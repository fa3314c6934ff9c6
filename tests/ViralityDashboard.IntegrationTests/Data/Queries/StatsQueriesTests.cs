using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class StatsQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static ScrapedVideo Video(string id, bool analyzed, RaterType? rater)
    {
        var video = new ScrapedVideo { PlatformVideoId = id, Views = 1_000, Likes = 10, FirstSeenAt = T0, LastScrapedAt = T0 };
        if (analyzed)
            video.Analyses.Add(new AnalyzedVideo { AnalysisVersion = "v3", VisualAnalysis = "{}", FeatureCount = 120, AnalyzedAt = T0 });
        if (rater is { } r)
            video.Ratings.Add(new VideoRating { Rater = r == RaterType.Owner ? "owner" : "guest", RaterType = r, OverallScore = 0.5, RatedAt = T0, SecondsSpent = 3 });
        return video;
    }

    [Fact]
    public async Task UnratedAnalyzedCountsAnalyzedVideosWithoutAnOwnerRatingWhateverElseIsRated()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using (var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync())
        {
            ctx.ScrapedVideos.AddRange(
                Video("analyzed-rated", analyzed: true, RaterType.Owner),
                Video("analyzed-unrated-1", analyzed: true, rater: null),
                Video("analyzed-unrated-2", analyzed: true, rater: null),
                Video("analyzed-guest-rated", analyzed: true, RaterType.Other),
                // The case that broke "analyzed − ratings": a rating of a video that has no analysis yet.
                Video("not-analyzed-rated", analyzed: false, RaterType.Owner));
            await ctx.SaveChangesAsync();
        }

        var counts = await db.Get<IStatsQueries>().GetOverviewCountsAsync();

        Assert.Equal((4L, 3L), (counts.AnalyzedVideos, counts.Ratings));
        Assert.Equal(3, counts.UnratedAnalyzedVideos);
    }
}
