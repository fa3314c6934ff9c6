using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class RatingQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Day = DateTimeOffset.Parse("2026-11-01T12:00:00Z");
    private static readonly PreferenceRowFilter Analyzed = new("v3", 100);

    private static ScrapedVideoRecord Video(string id, int daysAgo, string caption, params string[] tags) =>
        new() { VideoId = id, Views = 1_000, Likes = 100, Description = caption, Hashtags = tags, AuthorHandle = "mia", CreatedAt = Day.AddDays(-daysAgo) };

    private static async Task<TestDatabase> SeededAsync(PostgresFixture postgres)
    {
        var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync(
        [
            Video("old", 9, "garlic noodles", "food"),
            Video("new", 1, "beat drop dance", "dance"),
            Video("mid", 5, "iphone tips", "tech"),
            new() { VideoId = "undated", Views = 5, Description = "no date", AuthorHandle = "cook_with.mia" },
        ], new ImportOptions());
        return db;
    }

    [Fact]
    public async Task QueueListsUnratedVideosNewestPostedFirstAndUndatedLast()
    {
        await using var db = await SeededAsync(postgres);

        var queue = await db.Get<IRatingQueries>().GetQueueAsync(null, 10, Analyzed);

        Assert.Equal(["new", "mid", "old", "undated"], queue.Select(v => v.PlatformVideoId));
        Assert.Equal("https://www.tiktok.com/@mia/video/new", queue[0].TikTokUrl);
        Assert.Equal(["dance"], queue[0].Hashtags);
    }

    [Fact]
    public async Task FilterMatchesCaptionOrHashtag()
    {
        await using var db = await SeededAsync(postgres);
        var ratings = db.Get<IRatingQueries>();

        Assert.Equal(["old"], (await ratings.GetQueueAsync("NOODLES", 10, Analyzed)).Select(v => v.PlatformVideoId));
        Assert.Equal(["mid"], (await ratings.GetQueueAsync("#tech", 10, Analyzed)).Select(v => v.PlatformVideoId));
    }

    [Fact]
    public async Task ASavedRatingIsStoredAsTheOwnersAndLeavesTheQueueAndAnEditUpdatesIt()
    {
        await using var db = await SeededAsync(postgres);
        var ratings = db.Get<IRatingQueries>();
        var video = (await ratings.GetQueueAsync(null, 1, Analyzed))[0];

        var id = await ratings.SaveAsync(new RatingInput(null, video.Id, "owner", 0.8, 0.7, null, 1.0, null, 0.5, " loops well ", 12.5));
        await ratings.SaveAsync(new RatingInput(id, video.Id, "owner", 0.9, 0.7, 0.6, 1.0, null, 0.5, null, 20));

        Assert.DoesNotContain(await ratings.GetQueueAsync(null, 10, Analyzed), v => v.Id == video.Id);
        Assert.Equal("new", (await ratings.GetVideoAsync(video.Id))?.PlatformVideoId); // the detail page still finds it
        Assert.Null(await ratings.GetVideoAsync(-1));
        var stored = Assert.Single(await ratings.GetRatingsAsync(video.Id));
        Assert.Equal((id, 0.9, 0.6, 20.0, (string?)null), (stored.Id, stored.OverallScore, stored.Pacing, stored.SecondsSpent, stored.Notes));
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM video_ratings WHERE id = {id} AND rater = 'owner' AND rater_type = 'owner'"));
    }

    [Fact]
    public async Task AScoreOutsideZeroToOneIsRefusedByTheDatabase()
    {
        await using var db = await SeededAsync(postgres);
        var ratings = db.Get<IRatingQueries>();
        var video = (await ratings.GetQueueAsync(null, 1, Analyzed))[0];

        await Assert.ThrowsAnyAsync<Exception>(() => ratings.SaveAsync(new RatingInput(null, video.Id, "owner", 1.5, null, null, null, null, null, null, 1)));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM video_ratings"));
    }

    [Fact]
    public async Task AnalyzedVideosComeFirstAndEveryItemSaysWhetherItCountsTowardThePreferenceModel()
    {
        await using var db = await SeededAsync(postgres);
        await AnalyzeAsync(db, "old", featureCount: 120);
        await AnalyzeAsync(db, "mid", featureCount: 40); // too few features: the preference model does not read it

        var queue = await db.Get<IRatingQueries>().GetQueueAsync(null, 10, Analyzed);

        Assert.Equal(["old", "new", "mid", "undated"], queue.Select(v => v.PlatformVideoId));
        Assert.Equal([true, false, false, false], queue.Select(v => v.Analyzed ?? false));
    }

    [Fact]
    public async Task AnAtHandleFindsTheAuthorsVideosAndOnlyThem()
    {
        await using var db = await SeededAsync(postgres);
        var ratings = db.Get<IRatingQueries>();

        Assert.Equal(["new", "mid", "old"], (await ratings.GetQueueAsync("@mia", 10, Analyzed)).Select(v => v.PlatformVideoId));
        Assert.Equal(["undated"], (await ratings.GetQueueAsync("@COOK_with", 10, Analyzed)).Select(v => v.PlatformVideoId));
        Assert.Empty(await ratings.GetQueueAsync("@cook_with_", 10, Analyzed)); // "_" is a character, not LIKE's wildcard
        Assert.Empty(await ratings.GetQueueAsync("@noodles", 10, Analyzed)); // a caption word is no author
    }

    [Fact]
    public async Task ARatingOfAVideoThatIsNotAnalyzedIsKept()
    {
        await using var db = await SeededAsync(postgres);
        var ratings = db.Get<IRatingQueries>();
        var video = (await ratings.GetQueueAsync(null, 1, Analyzed))[0];
        Assert.False(video.Analyzed);

        var id = await ratings.SaveAsync(new RatingInput(null, video.Id, "owner", 0.7, null, null, null, null, null, null, 3));

        Assert.Equal(id, Assert.Single(await ratings.GetRatingsAsync(video.Id)).Id);
    }

    private static async Task AnalyzeAsync(TestDatabase db, string platformVideoId, int featureCount) =>
        Assert.Equal(1, await db.ScalarAsync($$"""
            WITH added AS (
                INSERT INTO analyzed_videos (video_id, analysis_version, visual_analysis, feature_count, analyzed_at)
                SELECT id, 'v3', '{}', {{featureCount}}, now() FROM scraped_videos WHERE platform_video_id = '{{platformVideoId}}'
                RETURNING 1)
            SELECT count(*) FROM added
            """));

    [Theory]
    [InlineData("https://www.tiktok.com/@ann/video/42?lang=en", "https://www.tiktok.com/@ann/video/42?lang=en")]
    [InlineData("https://evil.example/@ann/video/42", "https://www.tiktok.com/@ann/video/42")]
    [InlineData("http://www.tiktok.com/@ann/video/42", "https://www.tiktok.com/@ann/video/42")]
    [InlineData("https://tiktok.com.evil.example/x", "https://www.tiktok.com/@ann/video/42")]
    [InlineData(null, "https://www.tiktok.com/@ann/video/42")]
    public void TheOpenOnTikTokLinkIsTheStoredPageUrlOnlyWhenItIsTikToks(string? stored, string expected)
    {
        var item = new RatingQueueItem(1, "42", "ann", null, [], null, 0, 0, 0, 0, null, null, null, VideoUrl: stored);

        Assert.Equal(expected, item.TikTokUrl);
    }
}
