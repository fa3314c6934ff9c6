using System.Text;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

[Collection(PostgresCollection.Name)]
public sealed partial class VideoImporterTests(PostgresFixture postgres)
{
    private static Stream Fixture(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Files", name));

    [Fact]
    public async Task ImportsTheNormalizedCsvWithQuotedLineBreaksAndFlagsGlitches()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("good.csv"), new ImportOptions());

        Assert.Equal(("csv", 3L, 3L, 0L, 0L, 1L), (report.Format, report.Read, report.Inserted, report.Updated, report.Rejected, report.Flagged));
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var second = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7000000000000000002");
        Assert.Equal("Line one\nline two with \"quotes\"", second.Description);
        Assert.Null(second.Saves);
        Assert.Null(second.AuthorFollowers);
        Assert.True(second.AuthorVerified);
        var first = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7000000000000000001");
        Assert.Equal(["food", "vietnam"], first.Hashtags);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero), first.CreatedAt);
        var glitch = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == "7000000000000000003");
        Assert.Equal(DataQualityFlags.ZeroViewsWithEngagement | DataQualityFlags.ZeroDuration, glitch.QualityFlags);
    }

    [Fact]
    public async Task ReimportUpdatesStatsWithoutDuplicating()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());
        var changed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Files", "good.csv"))
            .Replace("7000000000000000001,1000,100", "7000000000000000001,5000,400", StringComparison.Ordinal);

        var again = await importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(changed)), new ImportOptions());

        Assert.Equal((0L, 3L, 2L), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(5000, await db.ScalarAsync("SELECT views FROM scraped_videos WHERE platform_video_id = '7000000000000000001'"));
        // Only the changed video was rewritten; the two the same are left as they were.
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE last_scraped_at > first_seen_at"));
    }

    [Fact]
    public async Task ImportsTheGoodRowsAndNamesEachBadRowsLineAndReason()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("bad_rows.csv"), new ImportOptions());

        Assert.Equal((8L, 2L, 6L), (report.Read, report.Inserted, report.Rejected));
        Assert.Collection(report.Errors,
            e => Assert.Equal(("line 3", "views is negative (-5)"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 4", "views '12abc' is not a whole number"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 5", "video id is missing"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 6", "created_at 2099-01-01 10:00:00Z is in the future"), (e.Where, e.Reason)),
            e => Assert.StartsWith("created_at 'yesterday-ish' is not a date", e.Reason),
            e => Assert.Equal(("line 9", "video id 7100000000000000001 appears earlier in the file"), (e.Where, e.Reason)));
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task StrictImportStopsAtTheFirstBadRowAndWritesNothing()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());

        var error = await Assert.ThrowsAsync<StrictImportException>(() => importer.ImportAsync(Fixture("bad_rows.csv"), new ImportOptions { Strict = true }));

        Assert.Equal("line 3", error.Error.Where);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE platform_video_id LIKE '71%'"));
    }

    [Fact]
    public async Task ImportsTikTokScraperOutput()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("scraper.json"), new ImportOptions());

        Assert.Equal(("tiktok-scraper", 2L, 2L, 0L), (report.Format, report.Read, report.Inserted, report.Rejected));
        Assert.Equal(120000, await db.ScalarAsync("SELECT author_followers FROM scraped_videos WHERE platform_video_id = '6907228749016714497'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE platform_video_id = '6907228749016714498' AND author_followers IS NULL AND sound_original"));
    }

    [Fact]
    public async Task ImportsTikTokWebItemsWithStringStatsAndPhotoPosts()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("web_items.json"), new ImportOptions());

        Assert.Equal(("tiktok-web-items", 2L, 2L, 0L), (report.Format, report.Read, report.Inserted, report.Flagged));
        Assert.Equal(223, await db.ScalarAsync("SELECT saves FROM scraped_videos WHERE platform_video_id = '7470546959699348744'"));
        Assert.Equal(1, await db.ScalarAsync(
            "SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7470546959699348745' AND duration_seconds IS NULL AND views = 900 AND hashtags = '{travel}'"));
    }

    [Theory]
    [InlineData("truncated.json", "item 2: the JSON ends unexpectedly (truncated file?)")]
    [InlineData("wrong_header.csv", "line 1: the CSV header lacks video_id, views, likes, shares, comments")]
    [InlineData("garbage.bin", "the file is not text")]
    public async Task MalformedFileGivesAClearErrorAndChangesNothing(string file, string expected)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => importer.ImportAsync(Fixture(file), new ImportOptions()));

        Assert.Contains(expected, error.Message);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task HostileStringsAreStoredAsData()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        const string csv = "video_id,views,likes,shares,comments\n"
            + "\"'); DROP TABLE scraped_videos; --\",10,1,0,0\n";

        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportOptions());

        Assert.Equal(1, report.Inserted);
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE platform_video_id = $$'); DROP TABLE scraped_videos; --$$"));
    }

    [Fact]
    public async Task BulkLoadRebuildsTheKeyIndexAndStillUpserts()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        var videos = DemoDataGenerator.GenerateVideos(new DemoDataOptions { Videos = 25_000, Analyzed = 0, Now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) }).ToList();

        var first = await importer.ImportAsync(videos, new ImportOptions());
        var second = await importer.ImportAsync(videos.Take(30), new ImportOptions());

        Assert.Equal((25_000L, 0L), (first.Inserted, first.Updated));
        Assert.Equal((0L, 30L), (second.Inserted, second.Updated));
        Assert.Equal(1, await db.ScalarAsync(
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_scraped_videos_platform_platform_video_id' AND indexdef LIKE 'CREATE UNIQUE INDEX%'"));
        Assert.Equal(25_000, await db.ScalarAsync("SELECT count(DISTINCT platform_video_id) FROM scraped_videos"));
    }

    [Fact]
    public async Task StrictFirstLoadIntoAnEmptyTableLeavesItEmptyWithItsIndexes()
    {
        // A first load copies straight into the table after dropping its indexes; the rollback must bring them back.
        await using var db = await postgres.CreateDatabaseAsync();

        await Assert.ThrowsAsync<StrictImportException>(() => db.Get<VideoImporter>().ImportAsync(Fixture("bad_rows.csv"), new ImportOptions { Strict = true }));

        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(1 + ScrapedVideoIndexCount, await db.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'scraped_videos'"));
    }

    private const int ScrapedVideoIndexCount = 3; // key, newest, flagged (the primary key is the "1 +")

    public static TheoryData<bool> FirstLoadOrMerge => new() { true, false };

    [Theory]
    [MemberData(nameof(FirstLoadOrMerge))]
    public async Task TextThatLooksLikeCopySyntaxIsStoredExactly(bool intoEmptyTable)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        if (!intoEmptyTable)
            await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());
        var hostile = new ScrapedVideoRecord
        {
            VideoId = "id\\N",
            Views = 10,
            Likes = 1,
            Shares = 0,
            Comments = 0,
            Description = "tab\there\nnew line\r\nback\\slash \\N \"quoted\" 🎬 Ti\u00EAu đề",
            SoundName = "\\N",
            AuthorHandle = "",
            Hashtags = ["a,b", "{brace}", "quote\"d", "back\\slash", "NULL", "with space", "tab\tin"],
            CreatedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(7)).AddTicks(1_234_567),
            DurationSeconds = 12.5,
        };

        var report = await importer.ImportAsync([hostile], new ImportOptions());

        Assert.Equal(1, report.Inserted);
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var stored = await ctx.ScrapedVideos.SingleAsync(v => v.PlatformVideoId == hostile.VideoId);
        Assert.Equal(hostile.Description, stored.Description);
        Assert.Equal("\\N", stored.SoundName);
        Assert.Equal("", stored.AuthorHandle); // an empty string, not NULL
        Assert.Equal(hostile.Hashtags, stored.Hashtags);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 22, 6, 7, 123, 456, TimeSpan.Zero), stored.CreatedAt); // UTC, to the microsecond
        Assert.Equal(12.5, stored.DurationSeconds);
        Assert.Null(stored.Saves);
        Assert.Null(stored.AuthorVerified);
    }

    [Fact]
    public async Task AnEscapedLoneSurrogateInJsonRejectsThatItemNamingTheField()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        const string json = """[{"id":"7300000000000000001","desc":"broken \ud800 text","createTime":1735725600,"stats":{"playCount":10,"diggCount":1,"shareCount":0,"commentCount":0}},{"id":"7300000000000000002","desc":"fine","createTime":1735725600,"stats":{"playCount":10,"diggCount":1,"shareCount":0,"commentCount":0}}]""";

        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), new ImportOptions());

        Assert.Equal((1L, 1L), (report.Inserted, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal("item 1", error.Where);
        Assert.Contains("desc holds an escaped lone surrogate", error.Reason, StringComparison.Ordinal);
    }
}
