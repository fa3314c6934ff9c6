using Npgsql;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Queries;

public sealed class TrainingDataQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset Day = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadsTheNewestTrainableVideosWithEveryFieldAndUndatedOnesLast()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        ScrapedVideoRecord full = new()
        {
            VideoId = "full", Views = 1_000, Likes = 100, Shares = 7, Comments = 9, Saves = 3, DurationSeconds = 31.5,
            Hashtags = ["fyp", "cooking"], SoundName = "original sound", SoundOriginal = true, Description = "tab\there, \"quoted\" \\ back",
            CreatedAt = Day, AuthorHandle = "chef", AuthorFollowers = 12_345, AuthorVerified = false,
        };
        await db.Get<VideoImporter>().ImportAsync(
        [
            full,
            new() { VideoId = "older", Views = 50, CreatedAt = Day.AddDays(-3) },
            new() { VideoId = "undated", Views = 60 },
            new() { VideoId = "newest", Views = 70, CreatedAt = Day.AddDays(2) },
            new() { VideoId = "zero-views", Views = 0, CreatedAt = Day.AddDays(5) },
            new() { VideoId = "glitch", Views = 10, Likes = 50, CreatedAt = Day.AddDays(6) },
        ], new ImportOptions());
        var queries = db.Get<TrainingDataQueries>();

        var all = queries.ReadNewestTrainable(100, v => v);
        var two = queries.ReadNewestTrainable(2, v => v.VideoId);

        Assert.Equal(["newest", "full", "older", "undated"], all.Select(v => v.VideoId));
        Assert.Equal(["newest", "full"], two);
        Assert.Equal(4, await queries.CountTrainableAsync());
        var read = all[1];
        string[] none = []; // records compare lists by reference: compare the tags on their own
        Assert.Equal(full with { Hashtags = none }, read with { Hashtags = none });
        Assert.Equal(full.Hashtags, read.Hashtags);
        Assert.Null(all[3].CreatedAt);
        Assert.Null(all[3].Saves);
    }

    [Fact]
    public async Task LeavesOutVideosWithCommentsTurnedOffFromTheRowsAndTheTrainableCount()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            "video_id,views,likes,shares,comments,created_at\n"
            + "7400000000000000001,1000,100,10,5,2025-01-01T10:00:00Z\n"
            + "7400000000000000002,1000000,80000,900,,2025-01-02T10:00:00Z\n")), new ImportOptions());
        await db.Get<VideoImporter>().ImportAsync([new() { VideoId = "record-comments-off", Views = 500, Likes = 5, Comments = null, CreatedAt = Day }], new ImportOptions());
        var queries = db.Get<TrainingDataQueries>();

        var rows = queries.ReadNewestTrainable(100, v => v.VideoId);

        Assert.Equal((2L, 0L, 1L), (report.Inserted, report.Rejected, report.Flagged));
        Assert.Equal(["7400000000000000001"], rows);
        Assert.Equal(1, await queries.CountTrainableAsync());
    }

    [Fact]
    public async Task TheTrainingReadMapsEveryRowOnTheThreadThatCalledIt()
    {
        // A training thread calls it: an async read would map the rows after each network wait on the request pool.
        await using var db = await postgres.CreateDatabaseAsync();
        await db.Get<VideoImporter>().ImportAsync(
            Enumerable.Range(1, 20_000).Select(i => new ScrapedVideoRecord { VideoId = $"v{i}", Views = i, Description = new string('x', 200) }).ToList(),
            new ImportOptions());
        var queries = db.Get<TrainingDataQueries>();
        var threads = new HashSet<int>();
        var caller = 0;

        var thread = new Thread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            queries.ReadNewestTrainable(20_000, v => threads.Add(Environment.CurrentManagedThreadId));
        });
        thread.Start();
        thread.Join();

        Assert.Equal([caller], threads);
    }

    [Fact]
    public async Task TheTrainingReadUsesNoParallelWorkersWhereThePlannerWouldStartThem()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // This database's planner prices parallel workers at nothing, as a million-row table makes them worth it.
        await db.ExecuteAsync("""
            DO $$ BEGIN
                EXECUTE format('ALTER DATABASE %I SET parallel_setup_cost = 0', current_database());
                EXECUTE format('ALTER DATABASE %I SET parallel_tuple_cost = 0', current_database());
                EXECUTE format('ALTER DATABASE %I SET min_parallel_table_scan_size = 0', current_database());
            END $$
            """);
        await TrainingFixtures.SeedAsync(db, 30_000);
        await db.ExecuteAsync("ANALYZE scraped_videos");
        var plan = string.Join("\n", await db.QueryAsync(
            "EXPLAIN SELECT * FROM scraped_videos WHERE views > 0 AND quality_flags = 0 ORDER BY created_at DESC NULLS LAST, id DESC LIMIT 30000",
            r => r.GetString(0)));
        const string WorkersOfTheRead = """
            SELECT count(*) FROM pg_stat_activity w JOIN pg_stat_activity l ON w.leader_pid = l.pid
            WHERE w.backend_type = 'parallel worker' AND l.query LIKE '%FROM scraped_videos%ORDER BY created_at DESC NULLS LAST%'
            """;
        long? workers = null;

        // Asked while the read streams its first row, when a parallel plan's workers are still sending theirs.
        var queries = db.Get<TrainingDataQueries>();
        var rows = queries.ReadNewestTrainable(30_000, v =>
        {
            workers ??= db.ScalarAsync(WorkersOfTheRead).GetAwaiter().GetResult();
            return v.VideoId;
        });

        Assert.Contains("Gather", plan);
        Assert.Equal(await queries.CountTrainableAsync(), rows.Count);
        Assert.Equal(0, workers);
    }
}
