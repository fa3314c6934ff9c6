using Npgsql;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// A PostgreSQL session advisory lock held for a whole run: the second guard (after Quartz's
/// DisallowConcurrentExecution) that no two processes ever fit at once, even when one calls the
/// training service directly. Released on dispose, and by the server when the session ends, so a crashed
/// process frees it.
/// </summary>
internal sealed class TrainingLock : IAsyncDisposable
{
    // Any fixed 64-bit key works; this one spells "VIRLTRN1".
    public const long Key = 0x5649524C54524E31;

    private readonly NpgsqlConnection _connection;

    private TrainingLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The server process of the session holding the lock, as <c>pg_locks.pid</c> shows it (see <see cref="StaleRunSweeper"/>).</summary>
    public int BackendPid => _connection.ProcessID;

    /// <summary>The lock, or null when another session holds it.</summary>
    public static async Task<TrainingLock?> TryAcquireAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", conn);
        cmd.Parameters.AddWithValue("k", Key);
        if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            return new TrainingLock(conn);
        await conn.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        // The connection goes back to the data source's pool, where the session (and a session lock with it)
        // lives on until the pool reuses or prunes it: so unlock explicitly.
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", _connection);
            cmd.Parameters.AddWithValue("k", Key);
            await cmd.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // A broken connection is not pooled again: its session has ended on the server, and the lock with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
