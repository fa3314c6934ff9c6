using System.Globalization;
using System.Text;
using Npgsql;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// Imports at the same time (issue 22 §3). Two large merges into a filled table each held a weak lock on
/// scraped_videos while waiting for the table lock, and the winner's DROP INDEX then waited for the loser: 40P01.
/// </summary>
public sealed partial class VideoImporterTests
{
    /// <summary>
    /// Rows <paramref name="from"/> up to <paramref name="to"/> (exclusive) of the normalized CSV, written to a temporary
    /// file: 70,000 new rows against 20,000 stored take the merge's index rebuild, where the deadlock was.
    /// </summary>
    internal static string WriteCsv(int from, int to, int views)
    {
        var path = Path.Combine(Path.GetTempPath(), $"virality-import-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder("video_id,views,likes,shares,comments\n");
        for (var i = from; i < to; i++)
            text.Append(CultureInfo.InvariantCulture, $"76{i:D17},{views},{views / 10},1,2\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static async Task<ImportReport> ImportFileAsync(VideoImporter importer, string path)
    {
        await using var file = File.OpenRead(path);
        return await importer.ImportAsync(file, new ImportOptions());
    }

    [Fact]
    public async Task TwoLargeImportsAtOnceBothSucceedAndCountAsOneAfterTheOther()
    {
        var stored = WriteCsv(200_000, 220_000, 50);
        var first = WriteCsv(0, 70_000, 100);
        var second = WriteCsv(10_000, 80_000, 200);
        try
        {
            await using var sequential = await postgres.CreateDatabaseAsync();
            await ImportFileAsync(sequential.Get<VideoImporter>(), stored);
            var one = await ImportFileAsync(sequential.Get<VideoImporter>(), first);
            var other = await ImportFileAsync(sequential.Get<VideoImporter>(), second);

            await using var concurrent = await postgres.CreateDatabaseAsync();
            await ImportFileAsync(concurrent.Get<VideoImporter>(), stored);
            var both = await Task.WhenAll(
                Task.Run(() => ImportFileAsync(concurrent.Get<VideoImporter>(), first)),
                Task.Run(() => ImportFileAsync(concurrent.Get<VideoImporter>(), second)));

            Assert.Equal((one.Inserted + other.Inserted, one.Updated + other.Updated), (both.Sum(r => r.Inserted), both.Sum(r => r.Updated)));
            foreach (var sql in new[] { "SELECT count(*) FROM scraped_videos", "SELECT count(*) FROM video_snapshots" })
                Assert.Equal(await sequential.ScalarAsync(sql), await concurrent.ScalarAsync(sql));
            Assert.Equal(1 + ScrapedVideoIndexCount, await concurrent.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'scraped_videos'"));
        }
        finally
        {
            foreach (var path in new[] { stored, first, second })
                File.Delete(path);
        }
    }

    [Fact]
    public async Task AnImportThatWaitsLongerThanItsTurnAllowsSaysAnotherImportIsRunningAndWritesNothing()
    {
        await using var db = await postgres.CreateDatabaseAsync(new Dictionary<string, string?> { ["Virality:Import:WaitSeconds"] = "1" });
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_xact_lock(hashtext('{VideoImporter.TurnLockName}'))", holder, tx))
            await hold.ExecuteNonQueryAsync();

        var error = await Assert.ThrowsAsync<ImportBusyException>(() => db.Get<VideoImporter>().ImportAsync(Fixture("good.csv"), new ImportOptions()));

        Assert.Contains("another import", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Waited);
        await tx.RollbackAsync();
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        // Once the other import is done, the same file goes in.
        Assert.Equal(3, (await db.Get<VideoImporter>().ImportAsync(Fixture("good.csv"), new ImportOptions())).Inserted);
    }
}
