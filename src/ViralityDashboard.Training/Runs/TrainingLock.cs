using Npgsql;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// A PostgreSQL session advisory lock held for a whole run: the second guard (after Quartz's
/// DisallowConcurrentExecution) that no two processes ever fit at once, even when one calls the
/// training service directly. Released when the connection closes, so a crashed process frees it.
/// </summary>
internal sealed class TrainingLock : IAsyncDisposable
{
    // Any fixed 64-bit key works; this one spells "VIRLTRN1".
    public const long Key = 0x5649524C54524E31;

    private readonly NpgsqlConnection _connection;

    private TrainingLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The lock, or null when another session holds it.</summary>
    public static async Task<TrainingLock?> TryAcquireAsync(string connectionString, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", conn);
        cmd.Parameters.AddWithValue("k", Key);
        if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            return new TrainingLock(conn);
        await conn.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
