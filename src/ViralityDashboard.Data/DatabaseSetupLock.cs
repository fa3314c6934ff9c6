using Microsoft.Extensions.Logging;
using Npgsql;

namespace ViralityDashboard.Data;

/// <summary>
/// A PostgreSQL session advisory lock held while one process prepares the database (migrations, the owner account,
/// demo data). Two processes starting together on a fresh database would otherwise both seed it and one would die on
/// a duplicate key; with the lock the second waits, then finds the work done. Released on dispose, and by the server
/// when the session ends, so a process killed while holding it blocks nobody.
/// </summary>
public sealed class DatabaseSetupLock : IAsyncDisposable
{
    // Any fixed 64-bit key distinct from the training lock's; this one spells "VIRLSETU".
    public const long Key = 0x5649524C53455455;

    // The first start seeds demo data while the others wait: minutes on a slow, loaded machine.
    private const int WaitSeconds = 600;

    private readonly NpgsqlConnection _connection;

    private DatabaseSetupLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits for the lock on a connection of its own, which it keeps until disposed.</summary>
    public static async Task<DatabaseSetupLock> AcquireAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct = default)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", conn) { Parameters = { new("k", Key) } };
            if (!(bool)(await tryLock.ExecuteScalarAsync(ct))!)
            {
                logger.LogInformation("Another process is preparing the database; waiting for it");
                await using var wait = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", conn) { Parameters = { new("k", Key) }, CommandTimeout = WaitSeconds };
                await wait.ExecuteNonQueryAsync(ct);
            }
            return new DatabaseSetupLock(conn);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The connection goes back to the pool with its session, so unlock explicitly (as TrainingLock does).
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", _connection) { Parameters = { new("k", Key) } };
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
