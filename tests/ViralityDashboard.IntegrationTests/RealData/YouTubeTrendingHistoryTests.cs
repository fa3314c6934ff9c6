using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.RealData;

/// <summary>
/// Imports the real scrape history in ../shared/data/youtube_trending (issue 23 §1): 760 daily scrapes of 297 videos.
/// Not in the repository, so RealData: the README's test command leaves it out and CI runs it with ../shared beside it.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "RealData")]
public sealed class YouTubeTrendingHistoryTests(PostgresFixture postgres)
{
    /// <summary>The shared file; like <see cref="SharedTikTokDataTests.DataDirectory"/>, a missing ../shared fails the test with a clear message.</summary>
    private static string SnapshotsFile
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "youtube_trending", "gb_trending_snapshots.csv");
                if (System.IO.File.Exists(candidate))
                    return candidate;
            }
            throw new FileNotFoundException($"No shared/data/youtube_trending/gb_trending_snapshots.csv above {AppContext.BaseDirectory}: the RealData tests need ../shared beside the repository.");
        }
    }

    [Fact]
    public async Task GbTrendingSnapshotsImportAsTheirVideosWithEveryScrapeASnapshot()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(System.IO.File.OpenRead(SnapshotsFile), new ImportOptions { Strict = true });

        Assert.Equal((760L, 297L, 0L, 760L), (report.Read, report.Inserted, report.Rejected, report.Snapshots));
        Assert.Equal(297, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(760, await db.ScalarAsync("SELECT count(*) FROM video_snapshots"));
        // Each video's row is its latest scrape, and first seen its earliest.
        Assert.Equal(0, await db.ScalarAsync("""
            SELECT count(*) FROM scraped_videos v
            WHERE v.last_scraped_at <> (SELECT max(scraped_at) FROM video_snapshots s WHERE s.video_id = v.id)
               OR v.first_seen_at <> (SELECT min(scraped_at) FROM video_snapshots s WHERE s.video_id = v.id)
               OR v.views <> (SELECT s.views FROM video_snapshots s WHERE s.video_id = v.id ORDER BY s.scraped_at DESC LIMIT 1)
            """));
    }
}
