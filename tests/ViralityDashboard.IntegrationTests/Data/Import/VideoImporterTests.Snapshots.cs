using System.Text;
using Npgsql;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// video_snapshots (issue 12 §1): each import appends the counts of the videos it adds and of those whose counts
/// changed, in its own transaction; a re-scrape with the same counts appends nothing.
/// </summary>
public sealed partial class VideoImporterTests
{
    private const string SnapshotCsvHeader = "video_id,views,likes,shares,comments,saves,duration_seconds\n";

    private static MemoryStream Csv(params string[] rows) => new(Encoding.UTF8.GetBytes(SnapshotCsvHeader + string.Join("\n", rows) + "\n"));

    [Fact]
    public async Task AFirstLoadAppendsOneSnapshotPerVideoWithItsCounts()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("good.csv"), new ImportOptions());

        Assert.Equal(3, report.Snapshots);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(0, await db.ScalarAsync("""
            SELECT count(*) FROM scraped_videos v JOIN video_snapshots s ON s.video_id = v.id
            WHERE (s.views, s.likes, s.shares, s.comments, s.saves, s.scraped_at) IS DISTINCT FROM (v.views, v.likes, v.shares, v.comments, v.saves, v.first_seen_at)
            """));
    }

    [Fact]
    public async Task AReimportAppendsSnapshotsOnlyForNewVideosAndChangedCounts()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Csv("7500000000000000001,1000,100,10,5,20,30", "7500000000000000002,2000,200,20,6,,30", "7500000000000000003,3000,300,30,7,1,30"),
            new ImportOptions());

        var report = await importer.ImportAsync(Csv(
            "7500000000000000001,1500,100,10,5,20,30", // views grew
            "7500000000000000002,2000,200,20,6,,30",   // the same
            "7500000000000000003,3000,300,30,7,1,45",  // a new duration, the same counts
            "7500000000000000004,10,1,0,0,0,30"), new ImportOptions());

        Assert.Equal((1L, 3L, 1L, 2L), (report.Inserted, report.Updated, report.Unchanged, report.Snapshots));
        Assert.Equal(5, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(2, await db.ScalarAsync("""
            SELECT count(*) FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id
            WHERE v.platform_video_id = '7500000000000000001'
            """));
        Assert.Equal(1500, await db.ScalarAsync("""
            SELECT s.views FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id
            WHERE v.platform_video_id = '7500000000000000001' ORDER BY s.scraped_at DESC LIMIT 1
            """));
        Assert.Equal(1, await db.ScalarAsync("""
            SELECT count(*) FROM video_snapshots s JOIN scraped_videos v ON v.id = s.video_id
            WHERE v.platform_video_id = '7500000000000000004'
            """));
        Assert.Equal(45, await db.ScalarAsync("SELECT duration_seconds::bigint FROM scraped_videos WHERE platform_video_id = '7500000000000000003'"));
    }

    [Fact]
    public async Task AnUnchangedRescrapeAppendsNothingAndRewritesNothing()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());
        var versions = await db.ScalarAsync("SELECT sum(xmin::text::bigint) FROM scraped_videos");

        var report = await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());

        Assert.Equal((0L, 3L, 3L, 0L), (report.Inserted, report.Updated, report.Unchanged, report.Snapshots));
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(versions, await db.ScalarAsync("SELECT sum(xmin::text::bigint) FROM scraped_videos"));
    }

    [Fact]
    public async Task ASavesLessRescrapeSnapshotsTheSavesAlreadyStored()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Csv("7500000000000000001,1000,100,10,5,20,30"), new ImportOptions());

        await importer.ImportAsync(Csv("7500000000000000001,1200,100,10,5,,30"), new ImportOptions());

        Assert.Equal(20, await db.ScalarAsync("SELECT saves FROM video_snapshots WHERE views = 1200"));
    }

    [Fact]
    public async Task AnImportThatFailsAfterItsSnapshotsWereWrittenLeavesNoSnapshotAndNoCount()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        await importer.ImportAsync(Fixture("good.csv"), new ImportOptions());
        // A real failure of the server between the snapshots and the update: the import's transaction must undo both.
        await ExecuteAsync(db, """
            CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse_update BEFORE UPDATE ON scraped_videos FOR EACH ROW EXECUTE FUNCTION refuse_update();
            """);
        var changed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Files", "good.csv"))
            .Replace("7000000000000000001,1000,100", "7000000000000000001,5000,400", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            importer.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(changed)), new ImportOptions()));

        Assert.Equal("refused by the test", error.MessageText);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        Assert.Equal(1000, await db.ScalarAsync("SELECT views FROM scraped_videos WHERE platform_video_id = '7000000000000000001'"));
    }

    [Fact]
    public async Task AFirstLoadBesideOrphanSnapshotsKeepsThemAndStillLoads()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // Snapshots of videos no longer stored (there is no foreign key): the WAL-skipping truncation must not take them.
        await ExecuteAsync(db, "INSERT INTO video_snapshots VALUES (999999, now(), 1, 1, 1, 1, NULL)");

        var report = await db.Get<VideoImporter>().ImportAsync(Fixture("good.csv"), new ImportOptions());

        Assert.Equal((3L, 3L), (report.Inserted, report.Snapshots));
        Assert.Equal(4, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
    }

    [Fact]
    public async Task AFirstLoadOnTheEmbeddedClusterIsWrittenWithoutWal()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // Enough rows that every table and index passes wal_skip_threshold (2 MB), below which the commit WAL-logs it whole.
        var rows = Enumerable.Range(1, 100_000).Select(i => $"75{i:D17},{i},1,0,0,0,30");
        var before = await db.ScalarAsync("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn");

        await db.Get<VideoImporter>().ImportAsync(Csv([.. rows]), new ImportOptions());

        var wal = await db.ScalarAsync("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn") - before;
        var written = await db.ScalarAsync("SELECT pg_total_relation_size('scraped_videos') + pg_total_relation_size('video_snapshots')");
        Assert.True(wal < written / 4, $"{wal:N0} bytes of WAL for {written:N0} bytes of tables and indexes");
    }

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task ARescrapeThatChangesEveryVideosCountsAddsNoIndexEntries()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        var videos = Enumerable.Range(1, 3000).Select(i => $"75100000000{i:D8},{1000 + i},{100 + i},10,5,20,30").ToArray();
        await importer.ImportAsync(Csv(videos), new ImportOptions());
        const string IndexPages = """
            SELECT sum(pg_relation_size(indexrelid) / current_setting('block_size')::int)
            FROM pg_index WHERE indrelid = 'scraped_videos'::regclass
            """;
        var before = await db.ScalarAsync(IndexPages);

        // The next day's scrape: every count grown. With half of each heap page free, each new row version stays on
        // its page as a heap-only tuple; on full pages each would have been written into all four indexes.
        var report = await importer.ImportAsync(Csv(Enumerable.Range(1, 3000).Select(i => $"75100000000{i:D8},{2000 + i},{200 + i},11,6,21,30").ToArray()), new ImportOptions());

        Assert.Equal((3000L, 0L, 3000L), (report.Updated, report.Unchanged, report.Snapshots));
        Assert.Equal(before, await db.ScalarAsync(IndexPages));
        Assert.Equal(3000, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE views > 2000 AND shares = 11"));
    }
}
