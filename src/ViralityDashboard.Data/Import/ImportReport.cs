namespace ViralityDashboard.Data.Import;

/// <summary>Where a row was (CSV line or JSON item index) and why it was refused.</summary>
public sealed record ImportError(string Where, string Reason);

/// <summary>
/// What an import did. Inserted and updated count videos: read = inserted + updated + rejected, unless the file holds
/// several scrapes of one video (a history), whose every row is a snapshot.
/// </summary>
public sealed record ImportReport(
    string Format,
    long Read,
    long Inserted,
    long Updated,
    long Rejected,
    long Flagged,
    IReadOnlyList<ImportError> Errors)
{
    /// <summary>Of <see cref="Updated"/>, the videos whose stored values were all the same: not rewritten.</summary>
    public long Unchanged { get; init; }
    /// <summary>Rows appended to video_snapshots: the new videos and those whose counts changed.</summary>
    public long Snapshots { get; init; }
}

public sealed record ImportOptions
{
    /// <summary>Abort on the first invalid row, writing nothing.</summary>
    public bool Strict { get; init; }
    /// <summary>Called every few thousand rows with the number of rows read so far.</summary>
    public IProgress<long>? Progress { get; init; }
    /// <summary>Append video_snapshots rows (on by default); bench-import turns it off to measure their cost.</summary>
    public bool RecordSnapshots { get; init; } = true;
    /// <summary>
    /// When the file was scraped, for its rows that do not say (<c>import --scraped-at</c>, <c>?scrapedAt=</c>). Null:
    /// such rows are stamped with the import's own time, and snapshotted only when their counts changed.
    /// </summary>
    public DateTimeOffset? ScrapedAt { get; init; }

    /// <summary>
    /// A scrape time as the CLI and the API take it: ISO 8601 (UTC unless an offset is given), not in the future beyond
    /// the tolerance the rows get. The exception's message names <paramref name="name"/> and the value.
    /// </summary>
    public static DateTimeOffset ParseScrapedAt(string name, string raw, DateTimeOffset now)
    {
        if (!FieldRules.TryParseTime(raw, out var at))
            throw new FormatException($"{name} '{FieldRules.Shorten(raw.Trim())}' is not a date and time (expected ISO 8601, e.g. 2025-02-12T14:57:40Z)");
        CheckScrapedAt(name, at, now);
        return at.ToUniversalTime();
    }

    internal static void CheckScrapedAt(string name, DateTimeOffset at, DateTimeOffset now)
    {
        if (at > now + FieldRules.FutureTolerance)
            throw new FormatException($"{name} {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is in the future");
        if (at < FieldRules.EarliestImportedPost)
            throw new FormatException($"{name} {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is before YouTube existed (2005)");
    }
}

/// <summary>The file as a whole cannot be imported (unknown format, truncated JSON, wrong header); nothing was written.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>A strict import met an invalid row; nothing was written.</summary>
public sealed class StrictImportException(ImportError error)
    : Exception($"{error.Where}: {error.Reason} (strict import: nothing was written)")
{
    public ImportError Error { get; } = error;
}

/// <summary>
/// Another import held its turn on scraped_videos for longer than <see cref="ImportQueueOptions.WaitSeconds"/>; nothing
/// was written, and the same file can be sent again once that import is done. An <see cref="InvalidOperationException"/>:
/// the table is busy, not the file wrong, and the Data page and the CLI already show such errors as they are.
/// </summary>
public sealed class ImportBusyException(TimeSpan waited, Exception inner)
    : InvalidOperationException($"another import is running and did not finish within {waited.TotalSeconds:0} s (Virality:Import:WaitSeconds); nothing was written: send the file again once it is done", inner)
{
    /// <summary>How long this import waited for its turn.</summary>
    public TimeSpan Waited { get; } = waited;
}

/// <summary>
/// The database connection was lost during the import (the server stopped, or ended the session). Before the
/// commit, the server undid the transaction, so nothing was written. An <see cref="IOException"/>: a lost
/// connection is an I/O failure, and callers that already report I/O errors to the user (the Data page) show it.
/// </summary>
public sealed class ImportAbortedException(string message, Exception inner) : IOException(message, inner)
{
    internal static ImportAbortedException ConnectionLost(Exception e, bool committing)
    {
        var said = Causes(e).OfType<Npgsql.PostgresException>().FirstOrDefault() is { } pg
            ? $" (the server said: {pg.MessageText})"
            : Causes(e).OfType<IOException>().FirstOrDefault() is { } io ? $" ({io.Message})" : "";
        return new ImportAbortedException(committing
            ? $"the connection to the database was lost while committing the import{said}: whether it was written is unknown; check with 'stats', or import the file again (re-importing never duplicates a video)"
            : $"the connection to the database was lost during the import{said}; nothing was written", e);
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}
