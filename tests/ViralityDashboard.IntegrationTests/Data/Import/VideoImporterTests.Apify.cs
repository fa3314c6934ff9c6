using System.Text;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// Apify's TikTok scraper items (issue 13 §1) as JSON, JSON Lines and Apify's flattened CSV export, and JSON Lines
/// of the other item kinds. The three fixtures hold the same four items: two good, one with negative saves, one whose
/// link is not a web page.
/// </summary>
public sealed partial class VideoImporterTests
{
    public static TheoryData<string, string, string[]> ApifyFiles => new()
    {
        { "apify.json", "apify", ["item 3", "item 4"] },
        { "apify.jsonl", "apify-jsonl", ["line 3", "line 4"] },
        { "apify.csv", "apify-csv", ["line 4", "line 5"] },
    };

    [Theory]
    [MemberData(nameof(ApifyFiles))]
    public async Task ImportsApifyItemsWithSavesDatesAndLinksNamingTheBadRows(string file, string format, string[] badRows)
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Fixture(file), new ImportOptions());

        Assert.Equal((format, 4L, 2L, 0L, 2L), (report.Format, report.Read, report.Inserted, report.Updated, report.Rejected));
        Assert.Equal(badRows, report.Errors.Select(e => e.Where));
        Assert.Contains("collectCount is negative", report.Errors[0].Reason);
        Assert.Contains("webVideoUrl 'javascript:alert(1)' is not an http(s) URL", report.Errors[1].Reason);
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var first = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7441234567890123451");
        Assert.Equal((120_000L, 9_800L, 450L, 310L, 1_200L), (first.Views, first.Likes, first.Shares, first.Comments, first.Saves));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), first.CreatedAt);
        Assert.Equal(["food", "vietnam"], first.Hashtags);
        Assert.Equal(("chef.linh", 52_000L, false), (first.AuthorHandle, first.AuthorFollowers, first.AuthorVerified));
        Assert.Equal(("original sound - chef.linh", true, 34d), (first.SoundName, first.SoundOriginal, first.DurationSeconds));
        Assert.Equal("https://www.tiktok.com/@chef.linh/video/7441234567890123451", first.VideoUrl);
        // No createTime: the ISO date stands in.
        var second = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7441234567890123452");
        Assert.Equal(new DateTimeOffset(2025, 2, 12, 14, 57, 40, TimeSpan.Zero), second.CreatedAt);
        Assert.Equal((7L, 12.5), (second.Saves, second.DurationSeconds));
        Assert.Empty(second.Hashtags);
    }

    [Theory]
    [InlineData("apify.json", "item 3")]
    [InlineData("apify.jsonl", "line 3")]
    [InlineData("apify.csv", "line 4")]
    public async Task AStrictApifyImportWithABadRowWritesNothing(string file, string firstBadRow)
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var error = await Assert.ThrowsAsync<StrictImportException>(() => db.Get<VideoImporter>().ImportAsync(Fixture(file), new ImportOptions { Strict = true }));

        Assert.Equal(firstBadRow, error.Error.Where);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task AReimportFromASourceWithoutSavesOrLinksKeepsApifysOnes()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("apify.json"), new ImportOptions());

        var again = await importer.ImportAsync(Utf8("video_id,views,likes,shares,comments\n7441234567890123451,130000,9900,460,320\n"), new ImportOptions());

        Assert.Equal((0L, 1L), (again.Inserted, again.Updated));
        Assert.Equal(1, await db.ScalarAsync("""
            SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7441234567890123451' AND views = 130000 AND saves = 1200
              AND video_url = 'https://www.tiktok.com/@chef.linh/video/7441234567890123451'
            """));
    }

    public static TheoryData<string, string> JsonLinesOfEveryKind => new()
    {
        {
            "tiktok-scraper-jsonl",
            """{"id":"7400000000000000001","text":"a","createTime":1735725600,"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5}""" + "\n\n"
            + """{"id":"7400000000000000002","text":"b","createTime":1735725600,"playCount":-1,"diggCount":100,"shareCount":10,"commentCount":5}""" + "\r\n"
        },
        {
            "tiktok-web-items-jsonl",
            """{"id":"7400000000000000001","desc":"a","createTime":1735725600,"author":{"uniqueId":"linh"},"stats":{"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5,"collectCount":2}}""" + "\n\n"
            + """{"id":"7400000000000000002","desc":"b","createTime":1735725600,"stats":{"playCount":-1,"diggCount":100,"shareCount":10,"commentCount":5}}"""
        },
    };

    [Theory]
    [MemberData(nameof(JsonLinesOfEveryKind))]
    public async Task JsonLinesOfScraperAndWebItemsImportAndNameBadRowsByLine(string format, string file)
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions());

        Assert.Equal((format, 2L, 1L, 1L), (report.Format, report.Read, report.Inserted, report.Rejected));
        Assert.Equal("line 3", Assert.Single(report.Errors).Where);
        Assert.Equal(1000, await db.ScalarAsync("SELECT views FROM scraped_videos WHERE platform_video_id = '7400000000000000001'"));
    }

    [Fact]
    public async Task AWebItemGetsTikToksCanonicalLinkFromItsAuthorAndId()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        await db.Get<VideoImporter>().ImportAsync(Utf8(JsonLinesOfEveryKind.Skip(1).Select(r => (string)r[1]).Single()), new ImportOptions());

        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var video = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7400000000000000001");
        Assert.Equal(("https://www.tiktok.com/@linh/video/7400000000000000001", 2L), (video.VideoUrl, video.Saves));
    }

    [Fact]
    public async Task JsonLinesOfWebItemsWhoseIdComesKilobytesInAreStillJsonLines()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // As TikTok writes them: fields in alphabetical order, large nested ones before the id.
        var item = """{"AIGCDescription":"","anchors":[{"description":"PAD"}],"desc":"a","id":"ID","createTime":1735725600,"stats":{"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5}}"""
            .Replace("PAD", new string('x', 6000), StringComparison.Ordinal);
        var file = item.Replace("ID", "7400000000000000001", StringComparison.Ordinal) + "\n" + item.Replace("ID", "7400000000000000002", StringComparison.Ordinal) + "\n";

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions { Strict = true });

        Assert.Equal(("tiktok-web-items-jsonl", 2L, 2L), (report.Format, report.Read, report.Inserted));
    }

    [Fact]
    public async Task ATruncatedJsonLinesFileIsRefusedWhole()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var file = """{"id":"7400000000000000001","text":"a","createTime":1735725600,"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5}""" + "\n"
            + """{"id":"7400000000000000002","text":"b","play""";

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions()));

        Assert.Contains("truncated", error.Message);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }
}
