using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class VideoTableQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<TestDatabase> SeededAsync(PostgresFixture postgres, int count)
    {
        var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync(
            Enumerable.Range(1, count).Select(i => new ScrapedVideoRecord
            {
                VideoId = $"v{i:D4}", Views = (i * 37) % 101 * 100, Likes = i, AuthorHandle = i % 10 == 0 ? "tenth" : "other", Description = $"caption {i}",
            }), new ImportOptions());
        return db;
    }

    [Fact]
    public async Task PagesWalkTheTableNewestIdFirstWithoutOverlap()
    {
        await using var db = await SeededAsync(postgres, 120);
        var videos = db.Get<IVideoTableQueries>();

        var first = await videos.GetPageAsync(new VideoPageRequest(0, 50));
        var third = await videos.GetPageAsync(new VideoPageRequest(2, 50));

        Assert.Equal(50, first.Rows.Count);
        Assert.Equal(20, third.Rows.Count);
        Assert.True(first.Rows.Zip(first.Rows.Skip(1)).All(p => p.First.Id > p.Second.Id));
        Assert.Equal((120L, false), (first.Total, first.TotalIsEstimate)); // small table: counted exactly
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(third.Rows.Select(r => r.Id)));
    }

    [Fact]
    public async Task SortsByViewsWithTheIdAsTieBreaker()
    {
        await using var db = await SeededAsync(postgres, 120);

        var page = await db.Get<IVideoTableQueries>().GetPageAsync(new VideoPageRequest(0, 120, Sort: VideoSort.Views, Descending: false));

        var keys = page.Rows.Select(r => (r.Views, r.Id)).ToList();
        Assert.Equal(keys.OrderBy(k => k.Views).ThenBy(k => k.Id), keys);
    }

    [Fact]
    public async Task FilterCountsExactlyAndMatchesHandleCaptionOrVideoId()
    {
        await using var db = await SeededAsync(postgres, 120);
        var videos = db.Get<IVideoTableQueries>();

        var tenth = await videos.GetPageAsync(new VideoPageRequest(0, 5, "TENTH"));
        var byId = await videos.GetPageAsync(new VideoPageRequest(0, 5, "v0042"));

        Assert.Equal((12L, false, 5), (tenth.Total, tenth.TotalIsEstimate, tenth.Rows.Count));
        Assert.Equal("v0042", Assert.Single(byId.Rows).PlatformVideoId);
    }

    [Fact]
    public async Task AnAtHandleFindsTheAuthorsVideosOnly()
    {
        await using var db = await SeededAsync(postgres, 120);
        var videos = db.Get<IVideoTableQueries>();

        var author = await videos.GetPageAsync(new VideoPageRequest(0, 50, "@tenth"));
        var mention = await videos.GetPageAsync(new VideoPageRequest(0, 50, "@caption"));

        Assert.Equal(12L, author.Total);
        Assert.All(author.Rows, r => Assert.Equal("tenth", r.AuthorHandle));
        Assert.Equal(0L, mention.Total); // a caption word is no author
    }
}
