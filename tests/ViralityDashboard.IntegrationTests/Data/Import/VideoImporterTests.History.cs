using System.Text;
using Npgsql;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// Scrape histories (issue 23 §1): rows that say when they were scraped (<c>scraped_at</c>, or the import's
/// <see cref="ImportOptions.ScrapedAt"/>) become snapshots at that time, in whatever order the files come; a video's row is
/// its latest scrape and first_seen_at its earliest.
/// </summary>
public sealed partial class VideoImporterTests
{
    private const string HistoryHeader = "video_id,views,likes,shares,comments,created_at,scraped_at\n";
    private const string Posted = "2025-03-01T08:00:00Z";
    private const string Day1 = "2025-03-02T12:00:00Z", Day2 = "2025-03-03T12:00:00Z", Day3 = "2025-03-04T12:00:00Z";

    private static MemoryStream History(params string[] rows) => new(Encoding.UTF8.GetBytes(HistoryHeader + string.Join("\n", rows) + "\n"));

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every stored video and snapshot by platform id (ids depend on the order of inserts), as one text.</summary>
    private static async Task<string> StoredStateAsync(TestDatabase db)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
                SELECT format('video %s %s %s %s %s %s %s %s', platform_video_id, views, likes, shares, comments, created_at, first_seen_at, last_scraped_at) AS line
                FROM scraped_videos
                UNION ALL
                SELECT format('snapshot %s %s %s %s %s %s', v.platform_video_id, s.scraped_at, s.views, s.likes, s.shares, s.comments)
                FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id) lines
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static readonly string[] HistoryDay1 = [$"7700000000000000001,100,10,1,1,{Posted},{Day1}", $"7700000000000000002,50,5,0,0,{Posted},{Day1}"];
    private static readonly string[] HistoryDay2 = [$"7700000000000000001,300,30,3,2,{Posted},{Day2}", $"7700000000000000003,10,1,0,0,{Posted},{Day2}"];

    [Fact]
    public async Task ImportingDayTwoThenDayOneStoresWhatDayOneThenDayTwoStores()
    {
        await using var inOrder = await postgres.CreateDatabaseAsync();
        await using var reversed = await postgres.CreateDatabaseAsync();
        await inOrder.Get<VideoImporter>().ImportAsync(History(HistoryDay1), new ImportOptions());
        await inOrder.Get<VideoImporter>().ImportAsync(History(HistoryDay2), new ImportOptions());

        await reversed.Get<VideoImporter>().ImportAsync(History(HistoryDay2), new ImportOptions());
        var older = await reversed.Get<VideoImporter>().ImportAsync(History(HistoryDay1), new ImportOptions());

        Assert.Equal(await StoredStateAsync(inOrder), await StoredStateAsync(reversed));
        Assert.Equal((1L, 1L, 0L, 2L), (older.Inserted, older.Updated, older.Unchanged, older.Snapshots));
        Assert.Equal(4, await reversed.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(300, await reversed.ScalarAsync("SELECT views FROM scraped_videos WHERE platform_video_id = '7700000000000000001'"));
        Assert.Equal(1, await reversed.ScalarAsync($"""
            SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7700000000000000001'
            AND first_seen_at = '{Day1}' AND last_scraped_at = '{Day2}'
            """));
    }

    [Fact]
    public async Task AnImportOfOlderScrapesAddsTheirSnapshotsButLeavesTheLatestCounts()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(History($"7700000000000000001,900,90,9,9,{Posted},{Day3}"), new ImportOptions());

        var report = await importer.ImportAsync(History($"7700000000000000001,300,30,3,3,{Posted},{Day2}", $"7700000000000000001,100,10,1,1,{Posted},{Day1}"), new ImportOptions());

        Assert.Equal((2L, 1L, 2L), (report.Read, report.Updated, report.Snapshots));
        Assert.Equal(900, await db.ScalarAsync("SELECT views FROM scraped_videos"));
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM scraped_videos WHERE first_seen_at = '{Day1}' AND last_scraped_at = '{Day3}'"));
        Assert.Equal(1300, await db.ScalarAsync("SELECT sum(views) FROM video_snapshots"));
    }

    [Fact]
    public async Task SeveralScrapesOfAVideoInOneFileEachBecomeASnapshotAndTheLatestIsTheRow()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        // Another video first, so that the history merges into a filled table.
        await importer.ImportAsync(History($"7700000000000000009,5,0,0,0,{Posted},{Day1}"), new ImportOptions());

        var report = await importer.ImportAsync(History(
            $"7700000000000000001,300,30,3,3,{Posted},{Day2}",
            $"7700000000000000001,900,90,9,9,{Posted},{Day3}",
            $"7700000000000000001,100,10,1,1,{Posted},{Day1}"), new ImportOptions());

        Assert.Equal((3L, 1L, 0L, 3L), (report.Read, report.Inserted, report.Updated, report.Snapshots));
        Assert.Equal(1, await db.ScalarAsync($"""
            SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7700000000000000001'
            AND views = 900 AND first_seen_at = '{Day1}' AND last_scraped_at = '{Day3}'
            """));
        Assert.Equal(3, await db.ScalarAsync("""
            SELECT count(*) FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id WHERE v.platform_video_id = '7700000000000000001'
            """));
    }

    [Fact]
    public async Task AFirstLoadOfAHistoryKeepsOneRowPerVideoAndEveryScrapeAsItsSnapshot()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(History(
            $"7700000000000000001,900,90,9,9,{Posted},{Day3}",
            $"7700000000000000002,50,5,0,0,{Posted},{Day1}",
            $"7700000000000000001,100,10,1,1,{Posted},{Day1}",
            $"7700000000000000001,300,30,3,3,{Posted},{Day2}"), new ImportOptions());

        Assert.Equal((4L, 2L, 4L), (report.Read, report.Inserted, report.Snapshots));
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(1, await db.ScalarAsync($"""
            SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7700000000000000001'
            AND views = 900 AND first_seen_at = '{Day1}' AND last_scraped_at = '{Day3}'
            """));
        // Every snapshot belongs to a stored video: the removed rows' ids were replaced by the surviving one.
        Assert.Equal(4, await db.ScalarAsync("SELECT count(*) FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id"));
        // The key index was built after the repeats went: a later import merges into it as usual.
        var again = await db.Get<VideoImporter>().ImportAsync(History($"7700000000000000001,1000,90,9,9,{Posted},2025-03-05T12:00:00Z"), new ImportOptions());
        Assert.Equal((0L, 1L), (again.Inserted, again.Updated));
    }

    [Fact]
    public async Task ReimportingTheSameHistoryAddsNothingAndRewritesNothing()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(History([.. HistoryDay1, .. HistoryDay2]), new ImportOptions());
        var before = await StoredStateAsync(db);
        var versions = await db.ScalarAsync("SELECT sum(xmin::text::bigint) FROM scraped_videos");

        var report = await importer.ImportAsync(History([.. HistoryDay2, .. HistoryDay1]), new ImportOptions());

        Assert.Equal((0L, 3L, 3L, 0L), (report.Inserted, report.Updated, report.Unchanged, report.Snapshots));
        Assert.Equal(before, await StoredStateAsync(db));
        Assert.Equal(versions, await db.ScalarAsync("SELECT sum(xmin::text::bigint) FROM scraped_videos"));
    }

    [Fact]
    public async Task ScrapeTimesInTheFutureOrBeforePostingAndRepeatedScrapesAreRowErrors()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(History(
            $"7700000000000000001,100,10,1,1,{Posted},{Day1}",
            $"7700000000000000002,100,10,1,1,{Posted},2099-01-01T00:00:00Z",
            $"7700000000000000003,100,10,1,1,{Posted},2025-02-28T12:00:00Z",
            $"7700000000000000001,200,20,1,1,{Posted},{Day1}",
            $"7700000000000000004,100,10,1,1,{Posted},last tuesday",
            $"7700000000000000001,300,30,3,3,{Posted},{Day2}"), new ImportOptions());

        Assert.Collection(report.Errors,
            e => Assert.Equal(("line 3", "scraped_at 2099-01-01 00:00:00Z is in the future"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 4", "scraped_at 2025-02-28 12:00:00Z is before the video was posted (created_at 2025-03-01 08:00:00Z)"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 5", "video id 7700000000000000001 scraped at 2025-03-02 12:00:00Z appears earlier in the file"), (e.Where, e.Reason)),
            e => Assert.Equal(("line 6", "scraped_at 'last tuesday' is not a date (expected ISO 8601, e.g. 2025-02-12T14:57:40Z)"), (e.Where, e.Reason)));
        Assert.Equal((6L, 1L, 4L, 2L), (report.Read, report.Inserted, report.Rejected, report.Snapshots));
        Assert.Equal(100, await db.ScalarAsync($"SELECT views FROM video_snapshots WHERE scraped_at = '{Day1}'"));
    }

    [Fact]
    public async Task TheImportsScrapeTimeStampsTheRowsThatGiveNoneAndIsCheckedAgainstPosting()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(History($"7700000000000000001,900,90,9,9,{Posted},{Day3}"), new ImportOptions());

        var report = await importer.ImportAsync(History(
            $"7700000000000000001,100,10,1,1,{Posted},",
            $"7700000000000000002,100,10,1,1,2025-03-02T18:00:00Z,",
            $"7700000000000000003,100,10,1,1,{Posted},{Day2}"), new ImportOptions { ScrapedAt = At(Day1) });

        Assert.Equal(("line 3", "the file's scrape time 2025-03-02 12:00:00Z is before the video was posted (created_at 2025-03-02 18:00:00Z)"),
            (report.Errors.Single().Where, report.Errors.Single().Reason));
        Assert.Equal(900, await db.ScalarAsync("SELECT views FROM scraped_videos WHERE platform_video_id = '7700000000000000001'"));
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM video_snapshots WHERE scraped_at = '{Day1}' AND views = 100"));
        Assert.Equal(1, await db.ScalarAsync($"SELECT count(*) FROM scraped_videos WHERE platform_video_id = '7700000000000000003' AND first_seen_at = '{Day2}'"));
    }

    [Fact]
    public async Task AnImportScrapeTimeInTheFutureIsRefusedBeforeAnythingIsRead()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => db.Get<VideoImporter>().ImportAsync(
            History($"7700000000000000001,100,10,1,1,{Posted},"), new ImportOptions { ScrapedAt = DateTimeOffset.UtcNow.AddDays(3) }));

        Assert.Contains("ScrapedAt", error.Message, StringComparison.Ordinal);
        Assert.Contains("is in the future", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task AWebItemsCollectTimeIsItsScrapeTime()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        const string items = """
            [{"id":"7700000000000000001","desc":"x","createTime":1737893345,"collectTime":1739378027,
              "stats":{"playCount":10,"diggCount":1,"shareCount":0,"commentCount":0,"collectCount":0}}]
            """;

        await db.Get<VideoImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(items)), new ImportOptions());

        Assert.Equal(1, await db.ScalarAsync("""
            SELECT count(*) FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id
            WHERE s.scraped_at = to_timestamp(1739378027) AND v.first_seen_at = to_timestamp(1739378027)
            """));
    }

    [Fact]
    public async Task AHistoryImportThatFailsInItsMergeLeavesEverythingAsItWas()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(History(HistoryDay1), new ImportOptions());
        var before = await StoredStateAsync(db);
        await ExecuteAsync(db, """
            CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse_insert BEFORE INSERT ON scraped_videos FOR EACH ROW EXECUTE FUNCTION refuse_insert();
            """);

        var error = await Assert.ThrowsAsync<PostgresException>(() => importer.ImportAsync(History(HistoryDay2), new ImportOptions()));

        Assert.Equal("refused by the test", error.MessageText);
        Assert.Equal(before, await StoredStateAsync(db));
    }
}
