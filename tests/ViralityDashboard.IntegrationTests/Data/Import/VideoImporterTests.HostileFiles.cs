using System.Text;
using Npgsql;
using ViralityDashboard.Data.Import;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Import;

/// <summary>
/// The importer against the files an operator's tools actually produce or a hostile sender writes (issue 10, §8):
/// the scraper's own layout, byte order marks, trailing content, bad bytes, non-finite numbers, a lost database.
/// </summary>
public sealed partial class VideoImporterTests
{
    private static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    private static string ScraperItem(string id, string duration = "15", string text = "a caption") =>
        $$$"""{"id":"{{{id}}}","text":"{{{text}}}","createTime":1735725600,"videoMeta":{"duration":{{{duration}}}},"playCount":500,"diggCount":10,"shareCount":0,"commentCount":1}""";

    private static string WebItem(string id, string duration = "21", string desc = "web") =>
        $$$"""{"id":"{{{id}}}","desc":"{{{desc}}}","createTime":1735725600,"video":{"duration":{{{duration}}}},"stats":{"playCount":900,"diggCount":40,"shareCount":2,"commentCount":1}}""";

    private async Task<TestDatabase> DatabaseWithThreeVideosAsync()
    {
        var db = await postgres.CreateDatabaseAsync();
        const string csv = "video_id,views,likes,shares,comments\n7000000000000000001,10,1,0,0\n7000000000000000002,10,1,0,0\n7000000000000000003,10,1,0,0\n";
        await db.Get<VideoImporter>().ImportAsync(Utf8(csv), new ImportOptions());
        return db;
    }

    [Fact]
    public async Task ImportsTheScraperLayoutWithPropertiesAroundTheCollectorLargerThanTheReadBuffer()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        // The scraper writes its request headers first; 300 KB of them spans several 64 KB reads.
        var headers = string.Join(",", Enumerable.Range(0, 3000).Select(i => $"\"h{i}\":\"{new string('x', 90)}\""));
        var json = $$$"""{"headers":{{{{headers}}}},"nested":[[1,{"collector":0}],"]"],"count":2,"collector":[{{{ScraperItem("7400000000000000001")}}},{{{ScraperItem("7400000000000000002")}}}],"after":{"more":[1,2,3]}}""";

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(json), new ImportOptions());

        Assert.Equal(("tiktok-scraper", 2L, 2L, 0L), (report.Format, report.Read, report.Inserted, report.Rejected));
        Assert.Equal(2, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE duration_seconds = 15"));
    }

    public static TheoryData<bool, string, string> NonFiniteDurations => new()
    {
        { false, "\"NaN\"", "videoMeta.duration" },
        { false, "\"Infinity\"", "videoMeta.duration" },
        { false, "\"-Infinity\"", "videoMeta.duration" },
        { false, "1e400", "videoMeta.duration" },
        { true, "\"NaN\"", "video.duration" },
        { true, "\"Infinity\"", "video.duration" },
        { true, "1e400", "video.duration" },
    };

    [Theory]
    [MemberData(nameof(NonFiniteDurations))]
    public async Task ANonFiniteDurationRejectsThatItemNamingTheField(bool webItems, string duration, string field)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var json = webItems
            ? $"[{WebItem("7400000000000000011", duration)},{WebItem("7400000000000000012")}]"
            : $$"""{"collector":[{{ScraperItem("7400000000000000011", duration)}},{{ScraperItem("7400000000000000012")}}]}""";

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(json), new ImportOptions());

        Assert.Equal((1L, 1L), (report.Inserted, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal("item 1", error.Where);
        Assert.StartsWith(field + " ", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE duration_seconds = 'NaN' OR duration_seconds = 'Infinity'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptsJsonThatStartsWithAByteOrderMark(bool webItems)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var json = webItems ? $"[{WebItem("7400000000000000021")}]" : $$"""{"collector":[{{ScraperItem("7400000000000000021")}}]}""";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();

        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(bytes), new ImportOptions());

        Assert.Equal((webItems ? "tiktok-web-items" : "tiktok-scraper", 1L), (report.Format, report.Inserted));
    }

    [Theory]
    [InlineData("{\"collector\":[ITEM]}\n{\"collector\":[]}", "line 2, byte 1")]
    [InlineData("{\"collector\":[ITEM]} x", "line 1, byte ")]
    [InlineData("[ITEM]\n\n  ]", "line 3, byte 3")]
    [InlineData("[ITEM][ITEM]", "line 1, byte ")]
    public async Task TrailingContentAfterTheJsonRejectsTheFileNamingItsPosition(string layout, string position)
    {
        await using var db = await DatabaseWithThreeVideosAsync();
        var json = layout.Replace("ITEM", ScraperItem("7400000000000000031"), StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => db.Get<VideoImporter>().ImportAsync(Utf8(json), new ImportOptions()));

        Assert.Contains("after the end of the JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains(position, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
    }

    [Fact]
    public async Task AllowsWhitespaceAndCommentsAfterTheJson()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var json = $$"""{"collector":[{{ScraperItem("7400000000000000041")}}]}""" + "\n  // saved by the scraper\n\n";

        var report = await db.Get<VideoImporter>().ImportAsync(Utf8(json), new ImportOptions());

        Assert.Equal(1, report.Inserted);
    }

    /// <summary>Valid text for the first 4 KB (the format sniff), then a row whose caption holds a byte that is not UTF-8.</summary>
    private static byte[] WithInvalidByteAfterTheSniff(string start, string badRowBefore, string badRowAfter, string end)
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(start));
        Assert.True(bytes.Count > 4096);
        bytes.AddRange(Encoding.UTF8.GetBytes(badRowBefore));
        bytes.Add(0xFF);
        bytes.AddRange(Encoding.UTF8.GetBytes(badRowAfter));
        bytes.AddRange(Encoding.UTF8.GetBytes(end));
        return [.. bytes];
    }

    [Fact]
    public async Task InvalidUtf8InACsvRowAfterTheFirst4KBRejectsThatRowNamingItsLine()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var good = string.Concat(Enumerable.Range(0, 60).Select(i => $"75000000000000{i:D5},10,1,0,0,caption number {i} {new string('c', 60)}\n"));
        var bytes = WithInvalidByteAfterTheSniff(
            "video_id,views,likes,shares,comments,description\n" + good,
            "7500000000000099999,10,1,0,0,\"bad ", " byte\nacross two lines\"\n",
            "7500000000000099998,10,1,0,0,fine\n");

        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(bytes), new ImportOptions());

        Assert.Equal((62L, 61L, 1L), (report.Read, report.Inserted, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal("line 62", error.Where);
        Assert.Contains("UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.Contains($"byte offset {Array.IndexOf(bytes, (byte)0xFF)}", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE description LIKE '%' || chr(65533) || '%'"));
    }

    /// <summary>Issue 22 §6: the file-level refusal said "near byte 1" wherever the bad byte was.</summary>
    [Theory]
    [InlineData(false, 0xFF, "not valid UTF-8")]
    [InlineData(true, 0xC3, "not valid UTF-8")] // a lead byte without its continuation, after a byte order mark
    [InlineData(false, 0x00, "a NUL")]
    public async Task ABadByteInTheFirst4KBRefusesTheFileNamingItsByteOffset(bool byteOrderMark, byte bad, string what)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var bytes = new List<byte>(byteOrderMark ? Encoding.UTF8.GetPreamble() : []);
        bytes.AddRange(Encoding.UTF8.GetBytes("video_id,views,likes,shares,comments,description\n7500000000000000001,10,1,0,0,caption "));
        var offset = bytes.Count;
        bytes.Add(bad);
        bytes.AddRange(Encoding.UTF8.GetBytes("x\n7500000000000000002,10,1,0,0,fine\n"));

        var error = await Assert.ThrowsAsync<ImportFormatException>(() => db.Get<VideoImporter>().ImportAsync(new MemoryStream([.. bytes]), new ImportOptions()));

        Assert.StartsWith("the file is not text", error.Message, StringComparison.Ordinal);
        Assert.Contains($"byte offset {offset} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("near byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CharactersCutByReadsAreNotMistakenForInvalidUtf8()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var csv = "video_id,views,likes,shares,comments,description\n"
            + string.Concat(Enumerable.Range(0, 2000).Select(i => $"75100000000000{i:D5},10,1,0,0,Tiêu đề 🎬 số {i} ẩm thực Việt\n"));

        var report = await db.Get<VideoImporter>().ImportAsync(new OddReads(Encoding.UTF8.GetBytes(csv)), new ImportOptions());

        Assert.Equal((2000L, 0L), (report.Inserted, report.Rejected));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE description = 'Tiêu đề 🎬 số 1999 ẩm thực Việt'"));
    }

    /// <summary>Hands the bytes out 1,021 at a time, so reads end inside multi-byte characters.</summary>
    private sealed class OddReads(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1021));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1021)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, 1021)], ct);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvalidUtf8InAJsonItemAfterTheFirst4KBRejectsThatItemNamingIt(bool webItems)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var first = webItems ? WebItem("7500000000000000001", desc: new string('t', 5000)) : ScraperItem("7500000000000000001", text: new string('t', 5000));
        var (start, end) = webItems ? ("[", "]") : ("{\"collector\":[", "]}");
        var bytes = WithInvalidByteAfterTheSniff(
            start + first + ",",
            webItems ? """{"id":"7500000000000000002","desc":"bad """ : """{"id":"7500000000000000002","text":"bad """,
            webItems
                ? "\",\"createTime\":1735725600,\"stats\":{\"playCount\":9,\"diggCount\":1,\"shareCount\":0,\"commentCount\":0}}"
                : "\",\"createTime\":1735725600,\"playCount\":9,\"diggCount\":1,\"shareCount\":0,\"commentCount\":0}",
            "," + (webItems ? WebItem("7500000000000000003") : ScraperItem("7500000000000000003")) + end);

        var report = await db.Get<VideoImporter>().ImportAsync(new MemoryStream(bytes), new ImportOptions());

        Assert.Equal((2L, 1L), (report.Inserted, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal("item 2", error.Where);
        Assert.Contains("UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM scraped_videos WHERE description LIKE '%' || chr(65533) || '%'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LosingTheDatabaseMidImportSaysSoAndWritesNothing(bool intoEmptyTable)
    {
        await using var db = intoEmptyTable ? await postgres.CreateDatabaseAsync() : await DatabaseWithThreeVideosAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var import = Task.Run(() => db.Get<VideoImporter>().ImportAsync(new GeneratedCsv(rows: 20_000_000), new ImportOptions(), cts.Token));

        await TerminateTheCopyAsync(db.ConnectionString, import, cts.Token);
        var error = await Assert.ThrowsAsync<ImportAbortedException>(() => import);

        Assert.Contains("connection to the database was lost", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Equal(intoEmptyTable ? 0 : 3, await db.ScalarAsync("SELECT count(*) FROM scraped_videos"));
        Assert.Equal(1 + ScrapedVideoIndexCount, await db.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE tablename = 'scraped_videos'"));
    }

    /// <summary>Waits until the import's backend is copying rows, then ends it from another connection, as a crash or an admin would.</summary>
    private static async Task TerminateTheCopyAsync(string connectionString, Task import, CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync(ct);
        while (!import.IsCompleted)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY %'", admin);
            if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0)
                return;
            await Task.Delay(20, ct);
        }
    }

    /// <summary>A normalized CSV of many rows, made as it is read.</summary>
    private sealed class GeneratedCsv(long rows) : ForwardReadStream
    {
        private long _next = -1; // -1: the header
        private byte[] _pending = [];
        private int _offset;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_next >= rows)
                    return 0;
                var text = new StringBuilder();
                if (_next < 0)
                    text.Append("video_id,views,likes,shares,comments\n");
                for (var i = 0; i < 1000 && _next < rows; i++)
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"8{++_next:D18},100,10,1,1\n");
                _pending = Encoding.ASCII.GetBytes(text.ToString());
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            return n;
        }
    }
}
