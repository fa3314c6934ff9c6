using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.RealData;

/// <summary>
/// Imports the real scraped files in ../shared/data/tiktok. They are not in the repository (a user's clone
/// has no ../shared), so these tests form the RealData category: the README's test command leaves them
/// out and CI runs them afterwards.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "RealData")]
public sealed class SharedTikTokDataTests(PostgresFixture postgres)
{
    public static string DataDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "tiktok");
                if (Directory.Exists(candidate))
                    return candidate;
            }
            throw new DirectoryNotFoundException($"No shared/data/tiktok folder above {AppContext.BaseDirectory}: the RealData tests need ../shared beside the repository.");
        }
    }

    private static FileStream Open(params string[] path) => File.OpenRead(Path.Combine([DataDirectory, .. path]));

    [Fact]
    public async Task VnCreatorsCsvImportsEveryRowAndReimportOnlyUpdates()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();

        var first = await importer.ImportAsync(Open("vn_creators.csv"), new ImportOptions { Strict = true });
        var second = await importer.ImportAsync(Open("vn_creators.csv"), new ImportOptions());

        Assert.Equal(("csv", 3919L, 3919L, 0L, 0L), (first.Format, first.Read, first.Inserted, first.Updated, first.Rejected));
        Assert.Equal((3919L, 0L, 3919L), (second.Read, second.Inserted, second.Updated));
        Assert.Equal(3919, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        // The README's quirks: 41 photo posts without duration, one creator (34 rows) hiding its followers.
        Assert.Equal(41, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE duration_seconds IS NULL"));
        Assert.Equal(34, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE author_followers = 0"));
    }

    [Fact]
    public async Task TrendingCollectorJsonImportsAThousandVideos()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<VideoImporter>().ImportAsync(Open("trending_collector.json"), new ImportOptions { Strict = true });

        Assert.Equal(("tiktok-scraper", 1000L, 1000L, 0L), (report.Format, report.Read, report.Inserted, report.Rejected));
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE saves IS NOT NULL"));
        // covers.default: TikTok's CDN, signed for days (these links expired long ago; the Rate page falls back to its placeholder).
        Assert.Equal(1000, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE cover_url LIKE 'https://%.tiktokcdn.com/%'"));
    }

    [Fact]
    public async Task EveryWebItemsFileImports()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var importer = db.Get<VideoImporter>();
        long read = 0;

        foreach (var file in Directory.GetFiles(Path.Combine(DataDirectory, "web_items"), "*.json").Order())
        {
            var report = await importer.ImportAsync(File.OpenRead(file), new ImportOptions { Strict = true });
            Assert.Equal("tiktok-web-items", report.Format);
            read += report.Read;
        }

        Assert.Equal(5, read);
        Assert.Equal(5, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(5, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE cover_url LIKE 'https://%.tiktokcdn.com/%'"));
    }
}
