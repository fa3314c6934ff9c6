using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ViralityDashboard.Data.Configurations;
using ViralityDashboard.Data.Telemetry;
using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Data.Import;

/// <summary>
/// The one import path (CLI, page, demo seeding): rows stream by COPY into a temporary staging table, then
/// an UPDATE and an INSERT merge them, all in one transaction, so a failure or a strict rejection leaves
/// scraped_videos exactly as it was. Into an empty table (a first load) the rows are copied straight in,
/// with the indexes built once afterwards: there is nothing to merge with.
/// </summary>
/// <remarks>
/// Imports take turns (<see cref="TakeTurnAsync"/>), each waiting up to <see cref="ImportQueueOptions.WaitSeconds"/>.
/// Traced as span <c>import</c> with a child per step; <paramref name="metrics"/> counts its rows (the benchmarks pass none).
/// </remarks>
public sealed class VideoImporter(
    IDbContextFactory<ViralityDbContext> contexts, TimeProvider time, ILogger<VideoImporter> logger,
    IOptions<ImportQueueOptions>? queue = null, ViralityMetrics? metrics = null)
{
    private const int ProgressEvery = 10_000;

    /// <summary>The name whose <c>hashtext</c> is the transaction advisory lock an import holds from its start to its end.</summary>
    public const string TurnLockName = "import:scraped_videos";

    private const string StagingColumns =
        "platform, platform_video_id, views, likes, shares, comments, saves, duration_seconds, hashtags, sound_name, "
        + "sound_original, description, created_at, author_handle, author_followers, author_verified, quality_flags, video_url, cover_url";

    public async Task<ImportReport> ImportAsync(Stream file, ImportOptions options, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var (format, rows) = await ImportFormat.OpenAsync(file, now, ct);
        return await UpsertAsync(format, rows, options, ct);
    }

    public Task<ImportReport> ImportAsync(IEnumerable<ScrapedVideoRecord> videos, ImportOptions options, CancellationToken ct = default) =>
        UpsertAsync("records", AsRows(videos), options, ct);

    private static async IAsyncEnumerable<ParsedRow> AsRows(IEnumerable<ScrapedVideoRecord> videos)
    {
        long i = 0;
        foreach (var v in videos)
            yield return ParsedRow.Valid(new RowPlace("record", i++), v);
        await Task.CompletedTask;
    }

    private async Task<ImportReport> UpsertAsync(string format, IAsyncEnumerable<ParsedRow> rows, ImportOptions options, CancellationToken ct)
    {
        using var span = ViralityTelemetry.Import.StartActivity("import");
        span?.SetTag("import.format", format);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        System.Diagnostics.Activity? copyStep = null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (options.ScrapedAt is { } defaultTime)
        {
            try
            {
                ImportOptions.CheckScrapedAt(nameof(ImportOptions.ScrapedAt), defaultTime, time.GetUtcNow());
            }
            catch (FormatException e)
            {
                throw new ArgumentOutOfRangeException(nameof(options), defaultTime, e.Message);
            }
        }

        // Until the commit the server undoes everything when the connection goes; during it, nobody can tell.
        var committing = false;
        try
        {
            await TakeTurnAsync(conn, tx, ct);
            // A first load copies straight into the table. Checked without the table lock first (an import into a
            // filled table takes it only to merge, so readers are held up only then), and again under it.
            var direct = await ScalarAsync(conn, tx, EmptyTableCheck, ct) == 1;
            if (direct)
            {
                await ExecuteAsync(conn, tx, LockTable, ct);
                direct = await ScalarAsync(conn, tx, EmptyTableCheck, ct) == 1;
            }
            // Taken once the table lock is held (a merge takes it again under its own lock), so imports that take
            // turns get increasing times and a video's snapshots never share one.
            var now = time.GetUtcNow();
            if (direct)
            {
                await TruncateForWalSkipAsync(conn, tx, ct);
                await DropIndexesAsync(conn, tx, ct);
            }
            else
                await ExecuteAsync(conn, tx, $"CREATE TEMP TABLE import_staging ON COMMIT DROP AS SELECT {StagingColumns}, NULL::timestamptz AS scraped_at FROM scraped_videos WITH NO DATA", ct);

            copyStep = ViralityTelemetry.Import.StartActivity("import copy");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var gcPausedBefore = GC.GetTotalPauseDuration();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var collectionsBefore = GC.CollectionCount(0);
            // Parsing runs on its own thread while this one feeds COPY: the two overlap on a two-core machine.
            var batches = Channel.CreateBounded<(ScrapedVideoRecord Video, DataQualityFlags Flags)[]>(
                new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
            var parse = Task.Run(() => ValidateAsync(rows, options, batches.Writer, ct), ct);
            var copyInto = direct
                ? $"scraped_videos ({StagingColumns}, first_seen_at, last_scraped_at)"
                : $"import_staging ({StagingColumns}, scraped_at)";
            // Not "await using": disposing the writer ends the COPY as a success, which only the end of the rows may do.
            var copy = await conn.BeginTextImportAsync($"COPY {copyInto} FROM STDIN", ct);
            try
            {
                var row = new CopyTextRow(copy);
                var stamp = CopyTextRow.FormatTimestamp(now);
                await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                {
                    foreach (var (video, flags) in batch)
                    {
                        Write(row, video, flags);
                        if (!direct)
                            row.Timestamp(video.ScrapedAt); // NULL: this import's time, given in the merge
                        else if (video.ScrapedAt is { } at)
                        {
                            row.Timestamp(at); // first_seen_at
                            row.Timestamp(at); // last_scraped_at
                        }
                        else
                        {
                            row.Preformatted(stamp); // first_seen_at
                            row.Preformatted(stamp); // last_scraped_at
                        }
                        row.EndRow();
                    }
                }
            }
            catch (Exception e)
            {
                batches.Writer.TryComplete(); // lets the parser stop if writing failed
                await Task.WhenAny(parse);
                if (!IsLost(conn)) // a lost connection has ended the COPY already, and cancelling it would throw
                    await ((NpgsqlCopyTextWriter)copy).CancelAsync();
                if (e is ChannelClosedException { InnerException: { } parseError })
                    ExceptionDispatchInfo.Capture(parseError).Throw();
                throw;
            }
            await copy.DisposeAsync();
            var (read, valid, flagged, timed, errors) = await parse;
            options.Progress?.Report(read);
            copyStep?.SetTag("import.rows.read", read);
            copyStep?.Dispose();

            var copied = clock.Elapsed;
            long inserted = 0, updated = 0, unchanged = 0, snapshots = 0;
            using (ViralityTelemetry.Import.StartActivity(direct ? "import index" : "import merge"))
            {
                if (direct)
                {
                    inserted = valid;
                    var collapsed = timed > 0;
                    if (collapsed)
                    {
                        var (repeats, snapshotted) = await CollapseRepeatsAsync(conn, tx, options.RecordSnapshots, ct);
                        (inserted, snapshots) = (valid - repeats, snapshotted);
                    }
                    await CreateIndexesAsync(conn, tx, ct);
                    // Each row's own scrape time: the import's, unless the row gave one.
                    if (options.RecordSnapshots && !collapsed)
                        snapshots = await ExecuteAsync(conn, tx, $"""
                            INSERT INTO video_snapshots ({SnapshotColumns})
                            SELECT id, last_scraped_at, views, likes, shares, comments, saves FROM scraped_videos
                            """, ct);
                }
                else if (valid > 0)
                    (inserted, updated, unchanged, snapshots) = timed > 0
                        ? await MergeHistoryAsync(conn, tx, options.RecordSnapshots, ct)
                        : await MergeAsync(conn, tx, valid, options.RecordSnapshots, ct);
            }
            var merged = clock.Elapsed;
            committing = true;
            using (ViralityTelemetry.Import.StartActivity("import commit"))
                await tx.CommitAsync(ct);
            logger.LogDebug("Import timings: parse+copy {Copy:N2} s, merge {Merge:N2} s, commit {Commit:N2} s; this process {Cpu:N2} s CPU, {Collections} collections pausing {Gc:N2} s",
                copied.TotalSeconds, (merged - copied).TotalSeconds, (clock.Elapsed - merged).TotalSeconds,
                (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds, GC.CollectionCount(0) - collectionsBefore, (GC.GetTotalPauseDuration() - gcPausedBefore).TotalSeconds);
            logger.LogInformation("Imported {Format}: {Read} read, {Inserted} inserted, {Updated} updated ({Unchanged} of them unchanged), {Rejected} rejected, {Flagged} flagged, {Snapshots} snapshots",
                format, read, inserted, updated, unchanged, errors.Count, flagged, snapshots);
            var report = new ImportReport(format, read, inserted, updated, errors.Count, flagged, errors) { Unchanged = unchanged, Snapshots = snapshots };
            span?.SetTag("import.first_load", direct).SetTag("import.rows.read", read).SetTag("import.rows.inserted", inserted)
                .SetTag("import.rows.updated", updated).SetTag("import.rows.rejected", errors.Count);
            metrics?.RecordImport(report, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return report;
        }
        // Records the failure (span, duration) in a filter that never catches: the clause below decides.
        catch (Exception e) when (RecordFailure(span, copyStep, e, started))
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException && IsLost(conn))
        {
            throw ImportAbortedException.ConnectionLost(e, committing);
        }
    }

    /// <summary>
    /// Waits for the imports before this one, before this transaction touches scraped_videos at all. Each import used to
    /// take its locks as it went: two large merges each held ACCESS SHARE (staging, the empty check) while waiting for
    /// the table lock, and the winner's DROP INDEX then waited for the loser's ACCESS SHARE: a deadlock, and one import
    /// failed (issue 22 §3). With a turn taken first, a second import holds no lock on the table while it waits. The
    /// lock is the transaction's, so the server releases it at the commit, at the rollback and when the session dies.
    /// </summary>
    private async Task TakeTurnAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds((queue?.Value ?? new ImportQueueOptions()).WaitSeconds);
        await ExecuteAsync(conn, tx, $"SET LOCAL lock_timeout = '{(int)wait.TotalMilliseconds}ms'", ct);
        try
        {
            await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock(hashtext('{TurnLockName}'))", ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            logger.LogWarning("An import gave up waiting {Seconds:0} s for the one before it (Virality:Import:WaitSeconds)", wait.TotalSeconds);
            throw new ImportBusyException(wait, e);
        }
        // Only the wait for the turn is bounded: the steps after it wait for readers as before.
        await ExecuteAsync(conn, tx, "SET LOCAL lock_timeout TO DEFAULT", ct);
    }

    private bool RecordFailure(System.Diagnostics.Activity? span, System.Diagnostics.Activity? copyStep, Exception e, long started)
    {
        copyStep?.Dispose();
        metrics?.RecordFailedImport(e, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return ViralityTelemetry.Fail(span, e);
    }

    private static bool IsLost(NpgsqlConnection conn) => conn.FullState.HasFlag(System.Data.ConnectionState.Broken) || conn.State == System.Data.ConnectionState.Closed;

    private const int BatchSize = 2_000;

    /// <summary>Checks each row, counts, and hands valid rows on in batches; a strict import stops at the first bad row.</summary>
    private static async Task<(long Read, long Valid, long Flagged, long Timed, List<ImportError> Errors)> ValidateAsync(
        IAsyncEnumerable<ParsedRow> rows, ImportOptions options, ChannelWriter<(ScrapedVideoRecord, DataQualityFlags)[]> output, CancellationToken ct)
    {
        long read = 0, valid = 0, flagged = 0, timed = 0;
        var errors = new List<ImportError>();
        // 128-bit hashes of the keys rather than the strings: a set of a million strings, young when added,
        // made every garbage collection rescan it, and collisions at 128 bits are out of reach (~10⁻²⁶).
        var seen = new HashSet<UInt128>();
        var batch = new List<(ScrapedVideoRecord, DataQualityFlags)>(BatchSize);
        try
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                read++;
                if (read % ProgressEvery == 0)
                    options.Progress?.Report(read);
                var error = row.Error;
                var video = row.Video;
                if (video is { ScrapedAt: null } && options.ScrapedAt is { } fileTime)
                {
                    video = video with { ScrapedAt = fileTime };
                    if (video.CreatedAt is { } posted && fileTime < posted)
                        error = $"the file's scrape time {fileTime.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is before the video was posted (created_at {posted.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)";
                }
                // A history holds one row per scrape: the same video twice is a duplicate only at the same scrape time.
                if (error is null && video is { } v && !seen.Add(KeyHash(v.Platform, v.VideoId, v.ScrapedAt)))
                    error = v.ScrapedAt is { } at
                        ? $"video id {v.VideoId} scraped at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z appears earlier in the file"
                        : $"video id {v.VideoId} appears earlier in the file";
                if (error is not null)
                {
                    var rejection = new ImportError(row.Where.ToString(), error);
                    if (options.Strict)
                        throw new StrictImportException(rejection); // the COPY and the transaction are undone
                    errors.Add(rejection);
                    continue;
                }
                var flags = video!.Flags;
                if (flags != DataQualityFlags.None)
                    flagged++;
                if (video.ScrapedAt is not null)
                    timed++;
                valid++;
                batch.Add((video, flags));
                if (batch.Count == BatchSize)
                {
                    await output.WriteAsync([.. batch], ct);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
                await output.WriteAsync([.. batch], ct);
            output.Complete();
            return (read, valid, flagged, timed, errors);
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }

    private static UInt128 KeyHash(string platform, string videoId, DateTimeOffset? scrapedAt)
    {
        // platform, NUL (which no stored text contains), id: FieldRules caps ids at 64 characters; then, for a row that
        // says when it was scraped, NUL and the time's ticks as four characters.
        var length = platform.Length + 1 + videoId.Length + (scrapedAt is null ? 0 : 5);
        Span<char> key = length <= 256 ? stackalloc char[length] : new char[length];
        platform.CopyTo(key);
        key[platform.Length] = '\0';
        videoId.CopyTo(key[(platform.Length + 1)..]);
        if (scrapedAt is { } at)
        {
            key[platform.Length + 1 + videoId.Length] = '\0';
            MemoryMarshal.Write(MemoryMarshal.AsBytes(key[^4..]), at.UtcTicks);
        }
        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes((ReadOnlySpan<char>)key));
    }

    /// <summary>The staging columns of one video, in <see cref="StagingColumns"/> order.</summary>
    private static void Write(CopyTextRow row, ScrapedVideoRecord v, DataQualityFlags flags)
    {
        row.Text(v.Platform);
        row.Text(v.VideoId);
        row.Integer(v.Views);
        row.Integer(v.Likes);
        row.Integer(v.Shares);
        row.Integer(v.Comments);
        row.Integer(v.Saves);
        row.Real(v.DurationSeconds);
        row.TextArray(v.Hashtags);
        row.Text(v.SoundName);
        row.Boolean(v.SoundOriginal);
        row.Text(v.Description);
        row.Timestamp(v.CreatedAt);
        row.Text(v.AuthorHandle);
        row.Integer(v.AuthorFollowers);
        row.Boolean(v.AuthorVerified);
        row.Integer((int)flags);
        row.Text(v.VideoUrl);
        row.Text(v.CoverUrl);
    }

    private const string EmptyTableCheck = "SELECT CASE WHEN EXISTS (SELECT 1 FROM scraped_videos) THEN 0 ELSE 1 END";
    private const string LockTable = "LOCK TABLE scraped_videos IN SHARE ROW EXCLUSIVE MODE";

    private const string SnapshotColumns = "video_id, scraped_at, views, likes, shares, comments, saves";

    /// <summary>
    /// On a server with wal_level=minimal (the embedded cluster), a table truncated in the load's transaction is
    /// written without WAL and synced once at the commit. Only where that is safe: scraped_videos is empty (checked
    /// under the lock), and so are the tables that reference it and video_snapshots, which are truncated with it.
    /// A reference this does not know (a table the app did not create) makes TRUNCATE fail: the load then goes on
    /// with WAL, as on any other server.
    /// </summary>
    private async Task TruncateForWalSkipAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using (var show = new NpgsqlCommand("SHOW wal_level", conn, tx))
            if (await show.ExecuteScalarAsync(ct) as string != "minimal")
                return;
        var tables = new List<string> { "scraped_videos", "video_snapshots" };
        await using (var referencing = new NpgsqlCommand(
            "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND confrelid = 'scraped_videos'::regclass", conn, tx))
        await using (var reader = await referencing.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                tables.Add(reader.GetString(0));
        foreach (var table in tables.Skip(1))
            if (await ScalarAsync(conn, tx, $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {table}) THEN 0 ELSE 1 END", ct) == 0)
                return;
        await ExecuteAsync(conn, tx, "SAVEPOINT wal_skip", ct);
        try
        {
            await ExecuteAsync(conn, tx, $"TRUNCATE {string.Join(", ", tables)}", ct);
            await ExecuteAsync(conn, tx, "RELEASE SAVEPOINT wal_skip", ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.FeatureNotSupported)
        {
            logger.LogDebug("First load with WAL: {Reason}", e.MessageText);
            await ExecuteAsync(conn, tx, "ROLLBACK TO SAVEPOINT wal_skip", ct);
        }
    }

    /// <summary>Below this many new rows, maintaining the key index row by row beats rebuilding it.</summary>
    private const long RebuildIndexMinimumRows = 20_000;

    /// <summary>
    /// What a re-scrape writes into each column: counts replaced, descriptive fields the new source lacks kept.
    /// Both the UPDATE's SET and its "anything to change?" comparison are made from this one list.
    /// </summary>
    private static readonly (string Column, string Value)[] Merged =
    [
        ("views", "s.views"), ("likes", "s.likes"), ("shares", "s.shares"), ("comments", "s.comments"),
        ("saves", "COALESCE(s.saves, v.saves)"),
        ("duration_seconds", "COALESCE(s.duration_seconds, v.duration_seconds)"),
        ("hashtags", "CASE WHEN cardinality(s.hashtags) > 0 THEN s.hashtags ELSE v.hashtags END"),
        ("sound_name", "COALESCE(s.sound_name, v.sound_name)"),
        ("sound_original", "COALESCE(s.sound_original, v.sound_original)"),
        ("description", "COALESCE(s.description, v.description)"),
        ("created_at", "COALESCE(s.created_at, v.created_at)"),
        ("author_handle", "COALESCE(s.author_handle, v.author_handle)"),
        ("author_followers", "COALESCE(s.author_followers, v.author_followers)"),
        ("author_verified", "COALESCE(s.author_verified, v.author_verified)"),
        ("quality_flags", "s.quality_flags"),
        ("video_url", "COALESCE(s.video_url, v.video_url)"),
        // TikTok signs its cover links for days only: the newest scrape's link is the one that may still load.
        ("cover_url", "COALESCE(s.cover_url, v.cover_url)"),
    ];

    private static readonly string MergeSet = string.Join(", ", Merged.Select(m => $"{m.Column} = {m.Value}")) + ", last_scraped_at = @now";
    private static readonly string MergeChanges =
        $"({string.Join(", ", Merged.Select(m => $"v.{m.Column}"))}) IS DISTINCT FROM ({string.Join(", ", Merged.Select(m => m.Value))})";
    private const string CountsChanged =
        "(v.views, v.likes, v.shares, v.comments, v.saves) IS DISTINCT FROM (s.views, s.likes, s.shares, s.comments, COALESCE(s.saves, v.saves))";
    private const string SameVideo = "v.platform = s.platform AND v.platform_video_id = s.platform_video_id";

    /// <summary>
    /// Update the videos we know, insert the rest. Counts are replaced by the newer scrape; descriptive
    /// fields the new source lacks (saves from tiktok-scraper, say) keep what an earlier import stored. Comments
    /// are a count, not a description: turned off since, they become unknown (NULL, flagged), since an older
    /// count beside this scrape's views would give a comment rate of two moments.
    /// A video whose values are all the same is not rewritten (a daily re-scrape leaves most counts as they
    /// were, and a rewrite costs a new row version and index entries). Snapshots come from the same staging
    /// rows: one join finds the stored videos, counts them and appends those whose counts changed; the insert
    /// of new videos appends theirs through RETURNING.
    /// Imports take turns (<see cref="TakeTurnAsync"/>) and the table lock keeps other writers out while readers carry
    /// on, so no ON CONFLICT is needed.
    /// A load that at least a third of the table will be new drops the key index and builds it again
    /// afterwards, and the secondary indexes with it: a sorted build is several times cheaper than a million
    /// random index insertions, at the price of blocking readers for the rebuild (about two seconds per
    /// million rows here for the key).
    /// </summary>
    private async Task<(long Inserted, long Updated, long Unchanged, long Snapshots)> MergeAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, long staged, bool snapshots, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, LockTable, ct);
        // The joins below match every staged row with its stored video. Autovacuum never analyzes a temporary table,
        // and without statistics the planner matched a million rows one index probe at a time (5.5 s, not 2); with the
        // default work_mem the hash join ran in 64 batches, which fed the UPDATE the table's pages in scattered order, so
        // each page was written about nine times (10.6 s, not 5.4). JIT compiling costs these statements more than it saves.
        await ExecuteAsync(conn, tx, "ANALYZE import_staging", ct);
        await ExecuteAsync(conn, tx, "SET LOCAL work_mem = '512MB'", ct);
        await ExecuteAsync(conn, tx, "SET LOCAL jit = off", ct);
        var now = time.GetUtcNow();
        long snapshotted = 0;
        long known;
        if (snapshots)
        {
            await using var cmd = new NpgsqlCommand($"""
                WITH known AS MATERIALIZED (
                    SELECT v.id, s.views, s.likes, s.shares, s.comments, COALESCE(s.saves, v.saves) AS saves, {CountsChanged} AS changed
                    FROM import_staging s JOIN scraped_videos v ON {SameVideo}),
                appended AS (
                    INSERT INTO video_snapshots ({SnapshotColumns})
                    SELECT id, @now, views, likes, shares, comments, saves FROM known WHERE changed
                    RETURNING 1)
                SELECT (SELECT count(*) FROM known), (SELECT count(*) FROM appended)
                """, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("now", now);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (known, snapshotted) = (reader.GetInt64(0), reader.GetInt64(1));
            logger.LogDebug("{Seconds:N2} s: match the stored videos and append the snapshots of changed counts", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        else
            known = await ScalarAsync(conn, tx, $"SELECT count(*) FROM import_staging s JOIN scraped_videos v ON {SameVideo}", ct);
        var changed = await ExecuteAsync(conn, tx, $"""
            UPDATE scraped_videos v SET {MergeSet}
            FROM import_staging s
            WHERE {SameVideo} AND {MergeChanges}
            """, ct, now);
        var newRows = staged - known;
        var rebuild = await DropIndexesForLargeLoadAsync(conn, tx, newRows, ct);
        var insert = $"""
            INSERT INTO scraped_videos ({StagingColumns}, first_seen_at, last_scraped_at)
            SELECT {StagingColumns}, @now, @now FROM import_staging s
            WHERE NOT EXISTS (SELECT 1 FROM scraped_videos v WHERE {SameVideo})
            {(rebuild ? "" : "ORDER BY s.platform, s.platform_video_id /* key order: the index fills page by page */")}
            """;
        long inserted = 0;
        if (newRows > 0)
            inserted = await ExecuteAsync(conn, tx, snapshots
                ? $"""
                  WITH added AS ({insert} RETURNING id, views, likes, shares, comments, saves)
                  INSERT INTO video_snapshots ({SnapshotColumns}) SELECT id, @now, views, likes, shares, comments, saves FROM added
                  """
                : insert, ct, now);
        if (snapshots)
            snapshotted += inserted;
        if (rebuild)
            await CreateIndexesAsync(conn, tx, ct);
        return (inserted, known, known - changed, snapshotted);
    }

    /// <summary>
    /// A first load of a history: the COPY put every scrape into scraped_videos (no index to refuse a repeated video),
    /// so here, before the key index is built, each video keeps its latest scrape as its row (with the earliest as
    /// first seen), every scrape becomes a snapshot under that row's id, and the other rows go. Set-based, as the rest.
    /// </summary>
    private async Task<(long Removed, long Snapshots)> CollapseRepeatsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, bool snapshots, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, "SET LOCAL work_mem = '512MB'", ct);
        await ExecuteAsync(conn, tx, """
            CREATE TEMP TABLE import_repeats ON COMMIT DROP AS
            SELECT id, keep, first_at, rank FROM (
                SELECT id, first_value(id) OVER w AS keep, min(last_scraped_at) OVER w AS first_at,
                       row_number() OVER w AS rank, count(*) OVER w AS scrapes
                FROM scraped_videos
                WINDOW w AS (PARTITION BY platform, platform_video_id ORDER BY last_scraped_at DESC, id DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) r
            WHERE scrapes > 1
            """, ct);
        long snapshotted = 0;
        if (snapshots)
            snapshotted = await ExecuteAsync(conn, tx, $"""
                INSERT INTO video_snapshots ({SnapshotColumns})
                SELECT COALESCE(r.keep, v.id), v.last_scraped_at, v.views, v.likes, v.shares, v.comments, v.saves
                FROM scraped_videos v LEFT JOIN import_repeats r ON r.id = v.id
                """, ct);
        await ExecuteAsync(conn, tx, "UPDATE scraped_videos v SET first_seen_at = r.first_at FROM import_repeats r WHERE v.id = r.id AND r.rank = 1", ct);
        var removed = await ExecuteAsync(conn, tx, "DELETE FROM scraped_videos v USING import_repeats r WHERE v.id = r.id AND r.rank > 1", ct);
        return (removed, snapshotted);
    }

    /// <summary>What an older scrape may still give a stored video: a descriptive value it lacks, never its counts.</summary>
    private static string OlderValue(string column) => column switch
    {
        "views" or "likes" or "shares" or "comments" or "quality_flags" => $"v.{column}",
        "hashtags" => "CASE WHEN cardinality(v.hashtags) > 0 THEN v.hashtags ELSE s.hashtags END",
        _ => $"COALESCE(v.{column}, s.{column})",
    };

    /// <summary>
    /// The stored row after a history's latest scrape of the video (<c>s</c>, from import_latest): a newer scrape than
    /// the stored one merges as any re-scrape does; an older one leaves the counts and fills only what is missing. A row
    /// without a time of its own moves last_scraped_at only when it changes something, as in <see cref="MergeAsync"/>.
    /// </summary>
    private static readonly (string Column, string Value)[] HistoryMerged =
    [
        .. Merged.Select(m => (m.Column, $"CASE WHEN s.latest_at > v.last_scraped_at THEN {m.Value} ELSE {OlderValue(m.Column)} END")),
        ("first_seen_at", "LEAST(v.first_seen_at, s.first_at)"),
        ("last_scraped_at", $"CASE WHEN s.latest_at > v.last_scraped_at AND (NOT s.untimed OR {MergeChanges}) THEN s.latest_at ELSE v.last_scraped_at END"),
    ];

    private static readonly string HistorySet = string.Join(", ", HistoryMerged.Select(m => $"{m.Column} = {m.Value}"));
    private static readonly string HistoryChanges =
        $"({string.Join(", ", HistoryMerged.Select(m => $"v.{m.Column}"))}) IS DISTINCT FROM ({string.Join(", ", HistoryMerged.Select(m => m.Value))})";

    /// <summary>
    /// The merge of rows that say when they were scraped (a history, or a file given a scrape time): every scrape is a
    /// snapshot, unique per (video, scrape time), so a re-import adds nothing; a video's row is its latest scrape, stored
    /// or imported, whichever order the files come in, and first_seen_at its earliest. Rows without a time are this
    /// import's scrape, snapshotted only when their counts changed, as in <see cref="MergeAsync"/>. Kept apart from that
    /// merge, which a daily million-row re-scrape takes: this one ranks the staged rows first.
    /// </summary>
    private async Task<(long Inserted, long Updated, long Unchanged, long Snapshots)> MergeHistoryAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, bool snapshots, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, LockTable, ct);
        await ExecuteAsync(conn, tx, "SET LOCAL work_mem = '512MB'", ct);
        await ExecuteAsync(conn, tx, "SET LOCAL jit = off", ct);
        var now = time.GetUtcNow();
        // One row per video: its latest scrape in the file, with the file's earliest.
        await ExecuteAsync(conn, tx, """
            CREATE TEMP TABLE import_latest ON COMMIT DROP AS
            SELECT DISTINCT ON (s.platform, s.platform_video_id) s.*, COALESCE(s.scraped_at, @now) AS latest_at, s.scraped_at IS NULL AS untimed,
                   min(COALESCE(s.scraped_at, @now)) OVER (PARTITION BY s.platform, s.platform_video_id) AS first_at
            FROM import_staging s
            ORDER BY s.platform, s.platform_video_id, COALESCE(s.scraped_at, @now) DESC
            """, ct, now);
        await ExecuteAsync(conn, tx, "ANALYZE import_staging", ct);
        await ExecuteAsync(conn, tx, "ANALYZE import_latest", ct);
        var videos = await ScalarAsync(conn, tx, "SELECT count(*) FROM import_latest", ct);
        long snapshotted = 0, known;
        await using (var cmd = new NpgsqlCommand(snapshots
            ? $"""
              WITH appended AS (
                  INSERT INTO video_snapshots ({SnapshotColumns})
                  SELECT v.id, COALESCE(s.scraped_at, @now), s.views, s.likes, s.shares, s.comments,
                         CASE WHEN s.scraped_at IS NULL THEN COALESCE(s.saves, v.saves) ELSE s.saves END
                  FROM import_staging s JOIN scraped_videos v ON {SameVideo}
                  WHERE s.scraped_at IS NOT NULL OR {CountsChanged}
                  ON CONFLICT (video_id, scraped_at) DO NOTHING
                  RETURNING 1)
              SELECT (SELECT count(*) FROM import_latest s JOIN scraped_videos v ON {SameVideo}), (SELECT count(*) FROM appended)
              """
            : $"SELECT (SELECT count(*) FROM import_latest s JOIN scraped_videos v ON {SameVideo}), 0", conn, tx) { CommandTimeout = 0 })
        {
            cmd.Parameters.AddWithValue("now", now);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (known, snapshotted) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var changed = await ExecuteAsync(conn, tx, $"""
            UPDATE scraped_videos v SET {HistorySet}
            FROM import_latest s
            WHERE {SameVideo} AND {HistoryChanges}
            """, ct, now);
        var newRows = videos - known;
        var rebuild = await DropIndexesForLargeLoadAsync(conn, tx, newRows, ct);
        var insert = $"""
            INSERT INTO scraped_videos ({StagingColumns}, first_seen_at, last_scraped_at)
            SELECT {StagingColumns}, first_at, latest_at FROM import_latest s
            WHERE NOT EXISTS (SELECT 1 FROM scraped_videos v WHERE {SameVideo})
            {(rebuild ? "" : "ORDER BY s.platform, s.platform_video_id")}
            """;
        long inserted = 0;
        if (newRows > 0 && snapshots)
        {
            await using var cmd = new NpgsqlCommand($"""
                WITH added AS ({insert} RETURNING id, platform, platform_video_id),
                appended AS (
                    INSERT INTO video_snapshots ({SnapshotColumns})
                    SELECT a.id, COALESCE(s.scraped_at, @now), s.views, s.likes, s.shares, s.comments, s.saves
                    FROM added a JOIN import_staging s ON s.platform = a.platform AND s.platform_video_id = a.platform_video_id
                    ON CONFLICT (video_id, scraped_at) DO NOTHING
                    RETURNING 1)
                SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM appended)
                """, conn, tx) { CommandTimeout = 0 };
            cmd.Parameters.AddWithValue("now", now);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            inserted = reader.GetInt64(0);
            snapshotted += reader.GetInt64(1);
        }
        else if (newRows > 0)
            inserted = await ExecuteAsync(conn, tx, insert, ct, now);
        if (rebuild)
            await CreateIndexesAsync(conn, tx, ct);
        return (inserted, known, known - changed, snapshotted);
    }

    /// <summary>
    /// Drops the indexes when at least a third of the table will be new rows (and there are enough of them): both merges
    /// then build them again once, sorted, after their insert. True when it dropped them.
    /// </summary>
    private async Task<bool> DropIndexesForLargeLoadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long newRows, CancellationToken ct)
    {
        var rebuild = newRows >= RebuildIndexMinimumRows
            && newRows * 3 >= await ScalarAsync(conn, tx, "SELECT count(*) FROM scraped_videos", ct) + newRows;
        if (rebuild)
            await DropIndexesAsync(conn, tx, ct);
        return rebuild;
    }

    private async Task DropIndexesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, $"DROP INDEX {ScrapedVideoConfiguration.PlatformVideoIndex}", ct);
        foreach (var (name, _) in ScrapedVideoConfiguration.SecondaryIndexes)
            await ExecuteAsync(conn, tx, $"DROP INDEX IF EXISTS {name}", ct);
    }

    private async Task CreateIndexesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await ExecuteAsync(conn, tx, "SET LOCAL maintenance_work_mem = '256MB'", ct);
        await ExecuteAsync(conn, tx, $"CREATE UNIQUE INDEX {ScrapedVideoConfiguration.PlatformVideoIndex} ON scraped_videos (platform, platform_video_id)", ct);
        foreach (var (_, create) in ScrapedVideoConfiguration.SecondaryIndexes)
            await ExecuteAsync(conn, tx, create, ct);
    }

    private async Task<long> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, DateTimeOffset? now = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        if (now is { } at)
            cmd.Parameters.AddWithValue("now", at);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var affected = await cmd.ExecuteNonQueryAsync(ct);
        logger.LogDebug("{Seconds:N2} s: {Sql}", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, sql.Split('\n')[0].Trim());
        return affected;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }
}
