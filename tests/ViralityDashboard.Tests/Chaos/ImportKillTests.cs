using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;
using ViralityDashboard.Core.Videos;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Data.Import;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Chaos;

/// <summary>
/// Issue 10 §11: an import killed (<c>kill -9</c>) in the middle of its COPY, beside a running app. The import is one
/// transaction, so the table must be exactly as it was, and the next import must work (no lock left behind).
/// </summary>
[Trait("Category", "Chaos")]
[Collection(ChaosCollection.Name)]
public sealed class ImportKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 400_000;
    private readonly RunningApp _app = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("virality-import-kill-").FullName;

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnImportKilledMidCopyLeavesTheTableAsItWasAndTheNextImportWorks()
    {
        await using var cluster = await EmbeddedPostgres.StartAsync(_app.DataDirectory, NullLogger.Instance);
        await using var db = NpgsqlDataSource.Create(cluster.ConnectionString);
        var before = await FingerprintAsync(db);

        // Existing videos with new counts (the merge path) followed by many new ones: a long COPY to land in.
        var existing = await ExistingIdsAsync(db);
        var file = Path.Combine(_folder, "big.csv");
        await using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)))
            await CsvVideoWriter.WriteAsync(writer, Videos(existing));

        using var import = StartCli(["import", file]);
        var copying = await WaitForCopyAsync(db, TimeSpan.FromMinutes(3));
        Assert.True(copying, "the import never reached its COPY");
        import.Kill(entireProcessTree: true);
        await import.WaitForExitAsync();
        output.WriteLine($"killed the import (pid {import.Id}) during its COPY");

        // The server notices the dead client and rolls its transaction back.
        Assert.True(await WaitAsync(async () => !await CopyRunningAsync(db), TimeSpan.FromMinutes(1)), "the killed import's COPY never ended");
        Assert.Equal(before, await FingerprintAsync(db));

        var small = Path.Combine(_folder, "small.csv");
        await using (var writer = new StreamWriter(small, append: false, new UTF8Encoding(false)))
            await CsvVideoWriter.WriteAsync(writer, Enumerable.Range(0, 10).Select(i => Video($"kill-after-{i}", i)));
        await _app.RunCliAsync(["import", small]);
        Assert.Equal(before.Count + 10, (await FingerprintAsync(db)).Count);
    }

    private IEnumerable<ScrapedVideoRecord> Videos(IReadOnlyList<string> existing)
    {
        foreach (var id in existing)
            yield return Video(id, 7);
        for (var i = 0; i < Rows; i++)
            yield return Video($"kill-{i}", i);
    }

    private static ScrapedVideoRecord Video(string id, int i) => new()
    {
        VideoId = id, Views = 10_000 + i, Likes = 500 + i % 97, Shares = i % 31, Comments = i % 53, Saves = i % 41,
        DurationSeconds = 5 + i % 55, Hashtags = ["fyp", $"tag{i % 17}"], SoundName = "original sound",
        Description = $"video {i}", CreatedAt = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
        AuthorFollowers = 1_000 + i, AuthorVerified = i % 2 == 0,
    };

    /// <summary>Rows, and a hash over every stored id and count: equal only if nothing was written.</summary>
    private static async Task<(long Count, string Hash)> FingerprintAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            "SELECT count(*), coalesce(md5(string_agg(platform_video_id || ':' || views || ':' || likes || ':' || comments, ',' ORDER BY id)), '') FROM scraped_videos");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task<IReadOnlyList<string>> ExistingIdsAsync(NpgsqlDataSource db)
    {
        var ids = new List<string>();
        await using var cmd = db.CreateCommand("SELECT platform_video_id FROM scraped_videos ORDER BY id LIMIT 2000");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }

    private static async Task<bool> CopyRunningAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY %' AND state <> 'idle' AND pid <> pg_backend_pid()");
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    private static Task<bool> WaitForCopyAsync(NpgsqlDataSource db, TimeSpan timeout) => WaitAsync(() => CopyRunningAsync(db), timeout);

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>The verb as its own process (so it can be killed), joining the app's cluster.</summary>
    private Process StartCli(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(RunningApp.AppAssembly());
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(_app.DataDirectory);
        psi.Environment.Remove("ConnectionStrings__Virality");
        var process = Process.Start(psi)!;
        // Drain both streams so a full pipe never blocks the verb before it reaches the COPY.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
