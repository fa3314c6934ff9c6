namespace ViralityDashboard.Data.Import;

/// <summary>Where a row was (CSV line or JSON item index) and why it was refused.</summary>
public sealed record ImportError(string Where, string Reason);

/// <summary>What an import did. Read = inserted + updated + rejected.</summary>
public sealed record ImportReport(
    string Format,
    long Read,
    long Inserted,
    long Updated,
    long Rejected,
    long Flagged,
    IReadOnlyList<ImportError> Errors);

public sealed record ImportOptions
{
    /// <summary>Abort on the first invalid row, writing nothing.</summary>
    public bool Strict { get; init; }
    /// <summary>Called every few thousand rows with the number of rows read so far.</summary>
    public IProgress<long>? Progress { get; init; }
}

/// <summary>The file as a whole cannot be imported (unknown format, truncated JSON, wrong header); nothing was written.</summary>
public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>A strict import met an invalid row; nothing was written.</summary>
public sealed class StrictImportException(ImportError error)
    : Exception($"{error.Where}: {error.Reason} (strict import: nothing was written)")
{
    public ImportError Error { get; } = error;
}
