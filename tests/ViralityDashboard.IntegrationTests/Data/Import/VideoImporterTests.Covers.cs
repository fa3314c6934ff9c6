using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// The cover image each item kind carries (issue 24 §3), kept for the Rate page's offline preview: only http(s)
/// URLs, and a re-scrape's newer link replaces the stored one.
/// </summary>
public sealed partial class VideoImporterTests
{
    private const string ApifyCover = "https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-p-0068/cover1?x-expires=1739548800&x-signature=abc%3D";
    private const string WebCover = "https://p16-sign-sg.tiktokcdn.com/obj/tos-alisg-p-0037/cover2?lk3s=81f88b70&x-expires=1739548800";

    private static string ApifyItemWithCover(string id, string? cover) =>
        $$$"""{"id":"{{{id}}}","text":"a","createTimeISO":"2025-01-01T10:00:00.000Z","playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5,"collectCount":2,"videoMeta":{"duration":10{{{(cover is null ? "" : $",\"coverUrl\":\"{cover}\"")}}}}}""";

    private static string WebItemWithCover(string id, string cover) =>
        $$$"""{"id":"{{{id}}}","desc":"a","createTime":1735725600,"author":{"uniqueId":"linh"},"video":{"duration":10,"cover":"{{{cover}}}"},"stats":{"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5}}""";

    private static async Task<string?> CoverAsync(TestDatabase db, string id)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        return await ctx.ScrapedVideos.Where(v => v.PlatformVideoId == id).Select(v => v.CoverUrl).SingleAsync();
    }

    public static TheoryData<string, string, string> FilesWithACover => new()
    {
        { "apify", "[" + ApifyItemWithCover("7400000000000000001", ApifyCover) + "]", ApifyCover },
        { "apify-jsonl", ApifyItemWithCover("7400000000000000001", ApifyCover) + "\n", ApifyCover },
        {
            "tiktok-scraper",
            $$$"""{"collector":[{"id":"7400000000000000001","text":"a","createTime":1735725600,"playCount":1000,"diggCount":100,"shareCount":10,"commentCount":5,"covers":{"default":"{{{ApifyCover}}}","origin":"https://example.com/o.jpg"}}]}""",
            ApifyCover
        },
        { "tiktok-web-items", "[" + WebItemWithCover("7400000000000000001", WebCover) + "]", WebCover },
        { "apify-csv", $"id,playCount,diggCount,shareCount,videoMeta/coverUrl\n7400000000000000001,1000,100,10,{ApifyCover}\n", ApifyCover },
        { "csv", $"video_id,views,likes,shares,comments,cover_url\n7400000000000000001,1000,100,10,5,{WebCover}\n", WebCover },
    };

    [Theory]
    [MemberData(nameof(FilesWithACover))]
    public async Task EachItemKindKeepsItsCoverImage(string format, string file, string cover)
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions { Strict = true });

        Assert.Equal((format, 1L), (report.Format, report.Inserted));
        Assert.Equal(cover, await CoverAsync(db, "7400000000000000001"));
    }

    public static TheoryData<string, string> HostileCovers => new()
    {
        { "[" + ApifyItemWithCover("7400000000000000002", "javascript:alert(1)") + "]", "videoMeta.coverUrl 'javascript:alert(1)' is not an http(s) URL" },
        { "[" + WebItemWithCover("7400000000000000002", "data:image/svg+xml,<svg onload=alert(1)>") + "]", "video.cover 'data:image/svg+xml,<svg onload=alert(1)>' is not an http(s) URL" },
        { "video_id,views,likes,shares,comments,cover_url\n7400000000000000002,1,1,1,1,javascript:alert(1)\n", "cover_url 'javascript:alert(1)' is not an http(s) URL" },
        { "[" + ApifyItemWithCover("7400000000000000002", "https://x.tiktokcdn.com/" + new string('a', 2100)) + "]", "videoMeta.coverUrl is 2124 characters long (at most 2048)" },
    };

    [Theory]
    [MemberData(nameof(HostileCovers))]
    public async Task ACoverThatIsNotAnHttpUrlRejectsItsRowNamingFieldAndValue(string file, string reason)
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(file), new ImportOptions());

        Assert.Equal((0L, 1L), (report.Inserted, report.Rejected));
        Assert.Contains(reason, Assert.Single(report.Errors).Reason);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task AReimportReplacesTheCoverAndASourceWithoutOneKeepsIt()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Utf8("[" + ApifyItemWithCover("7400000000000000001", ApifyCover) + "]"), new ImportOptions { Strict = true });

        var newer = await importer.ImportAsync(Utf8("[" + WebItemWithCover("7400000000000000001", WebCover) + "]"), new ImportOptions { Strict = true });
        var coverAfterNewer = await CoverAsync(db, "7400000000000000001");
        var without = await importer.ImportAsync(Utf8("[" + ApifyItemWithCover("7400000000000000001", null) + "]"), new ImportOptions { Strict = true });

        Assert.Equal((1L, 1L), (newer.Updated, without.Updated));
        Assert.Equal(WebCover, coverAfterNewer);
        Assert.Equal(WebCover, await CoverAsync(db, "7400000000000000001"));
    }
}
