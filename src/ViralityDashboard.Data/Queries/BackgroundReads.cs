using Npgsql;

namespace ViralityDashboard.Data.Queries;

/// <summary>
/// How a training run's large reads go to PostgreSQL: in a read-only transaction on one backend, without parallel
/// workers or JIT. PostgreSQL would otherwise sort a million rows with two extra worker processes at normal priority
/// (three busy processes on two cores), taking the cores the training bound leaves to requests: the dashboard's
/// pages took 330–410 ms while a 1M-video retrain computed its percentiles. The serial plan is as fast here
/// (1.7 s against 1.8 s for the training read), since the sort, not the scan, is most of it.
/// </summary>
internal static class BackgroundReads
{
    private const string Settings = "SET TRANSACTION READ ONLY; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off";

    public static async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        await using var cmd = new NpgsqlCommand(Settings, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        return tx;
    }

    /// <summary>The same, for a training thread's synchronous read.</summary>
    public static NpgsqlTransaction Begin(NpgsqlConnection conn)
    {
        var tx = conn.BeginTransaction(System.Data.IsolationLevel.ReadCommitted);
        using var cmd = new NpgsqlCommand(Settings, conn, tx);
        cmd.ExecuteNonQuery();
        return tx;
    }
}
