using System.Text;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// Videos with comments turned off: TikTok reports no comment count (issue 10 §8.8; 41 of 10,102 videos of a
/// Vietnamese For-You scrape). They are stored with comments NULL and flagged, never rejected.
/// </summary>
public sealed partial class VideoImporterTests
{
    private const int CommentsUnknown = (int)DataQualityFlags.CommentsUnknown;

    public static TheoryData<string, string> CommentlessFiles => new()
    {
        {
            "csv",
            "video_id,views,likes,shares,comments,saves\n"
            + "7400000000000000001,1000,100,10,5,3\n"
            + "7400000000000000002,1000000,80000,900,,\n"
        },
        {
            "tiktok-scraper",
            """{"headers":{},"collector":[""" +
            """{"id":"7400000000000000001","text":"on","createTime":1735725600,"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5},""" +
            """{"id":"7400000000000000002","text":"off","createTime":1735725600,"playCount":1000000,"diggCount":80000,"shareCount":900},""" +
            """{"id":"7400000000000000003","text":"off, null","createTime":1735725600,"playCount":2000,"diggCount":50,"shareCount":1,"commentCount":null}]}"""
        },
        {
            "tiktok-web-items",
            "[" +
            """{"id":"7400000000000000001","desc":"on","createTime":1735725600,"stats":{"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5}},""" +
            """{"id":"7400000000000000002","desc":"off","createTime":1735725600,"stats":{"playCount":1000000,"diggCount":80000,"shareCount":900}},""" +
            """{"id":"7400000000000000003","desc":"off, null","createTime":1735725600,"statsV2":{"playCount":"2000","diggCount":"50","shareCount":"1","commentCount":null}}]"""
        },
    };

    [Theory]
    [MemberData(nameof(CommentlessFiles))]
    public async Task StoresAVideoWithCommentsTurnedOffWithUnknownCommentsAndAFlag(string format, string file)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var commentless = format == "csv" ? 1 : 2;

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions { Strict = true });

        Assert.Equal((format, 1L + commentless, 1L + commentless, 0L, (long)commentless),
            (report.Format, report.Read, report.Inserted, report.Rejected, report.Flagged));
        Assert.Empty(report.Errors);
        Assert.Equal(commentless, await db.ScalarAsync($"SELECT count(*) FROM scraped_videos WHERE comments IS NULL AND quality_flags = {CommentsUnknown}"));
        Assert.Equal(5, await db.ScalarAsync("SELECT comments FROM scraped_videos WHERE platform_video_id = '7400000000000000001'"));
        Assert.Equal(0, await db.ScalarAsync("SELECT quality_flags FROM scraped_videos WHERE platform_video_id = '7400000000000000001'"));
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var off = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7400000000000000002");
        Assert.Equal((1_000_000L, 80_000L, 900L), (off.Views, off.Likes, off.Shares));
        Assert.Null(off.Comments);
        Assert.Equal(DataQualityFlags.CommentsUnknown, off.QualityFlags);
    }

    [Fact]
    public async Task AVideoWhoseCommentsAreTurnedOffLaterLosesItsCountAndGainsTheFlag()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Utf8("video_id,views,likes,shares,comments\n7400000000000000001,1000,100,10,5\n7400000000000000002,10,1,0,0\n"), new ImportOptions());

        var again = await importer.ImportAsync(Utf8("video_id,views,likes,shares,comments\n7400000000000000001,3000,200,20,\n"), new ImportOptions());

        Assert.Equal((0L, 1L, 0L, 1L), (again.Inserted, again.Updated, again.Rejected, again.Flagged));
        // A count from an earlier scrape beside this scrape's views would make a comment rate of two moments.
        Assert.Equal(1, await db.ScalarAsync(
            $"SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7400000000000000001' AND views = 3000 AND comments IS NULL AND quality_flags = {CommentsUnknown}"));
    }
}
