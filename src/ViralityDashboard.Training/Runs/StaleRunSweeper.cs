using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// Settles the <c>training_runs</c> rows of runs whose process is gone (killed, crashed, its host lost): they become
/// <c>failed</c> with <see cref="InterruptedMessage"/> and a finish time instead of staying <c>running</c> forever.
/// Runs at startup (as a hosted service) and before every retrain job, which covers Quartz's cluster recovery: the
/// recovered firing of a dead node's retrain runs through the job.
/// </summary>
/// <remarks>
/// A live run holds the training advisory lock (<see cref="TrainingLock"/>) from before its row is written until after
/// it is finished, and its row records the backend holding it. So a <c>running</c> row is stale exactly when that
/// backend no longer holds the lock: the server ends the session, and releases its lock, when the process dies. This
/// holds with several processes on one database (web app, CLI <c>train</c>, two instances): another live process's
/// run is never touched. Rows written before the backend was recorded are stale only when no session holds the lock.
/// The sweep is one statement under a transaction advisory lock, so two starting processes do not both settle (and
/// log) the same rows.
/// </remarks>
public sealed class StaleRunSweeper(
    NpgsqlDataSource dataSource, IDbContextFactory<ViralityDbContext> contexts, TimeProvider clock, ILogger<StaleRunSweeper> logger) : IHostedService
{
    public const string InterruptedMessage = "interrupted (process ended)";

    /// <summary>The error of the run recorded instead of a third attempt of a request whose two runs both ended with their process.</summary>
    public const string InterruptedTwiceMessage = "interrupted twice; not retried";

    /// <summary>
    /// A request whose latest this many runs all ended with their process is not run again when recovered: one that
    /// kills its process (out of memory, say) would otherwise restart, crash and recover forever. So an interrupted
    /// request is re-run once.
    /// </summary>
    public const int MaxConsecutiveInterruptions = 2;

    // "VIRLSWP1": serializes sweeps, distinct from the training lock itself.
    private const long SweepKey = 0x5649524C53575031;

    private const string Sql = """
        SELECT pg_advisory_xact_lock(@sweep);
        UPDATE training_runs r SET status = @failed, error = @error, finished_at = @now
        WHERE r.status = @running
          AND NOT EXISTS (
            SELECT 1 FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = @hi AND l.objid::bigint = @lo AND l.objsubid = 1
              AND (r.lock_backend_pid IS NULL OR l.pid = r.lock_backend_pid))
        RETURNING r.id;
        """;

    /// <summary>Marks every interrupted run failed; returns their ids.</summary>
    public async Task<IReadOnlyList<long>> SweepAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand(Sql, conn, tx);
        cmd.Parameters.AddWithValue("sweep", SweepKey);
        cmd.Parameters.AddWithValue("failed", RunStatus.Failed.Wire());
        cmd.Parameters.AddWithValue("running", RunStatus.Running.Wire());
        cmd.Parameters.AddWithValue("error", InterruptedMessage);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        // A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid), objsubid 1.
        cmd.Parameters.AddWithValue("hi", TrainingLock.Key >>> 32);
        cmd.Parameters.AddWithValue("lo", TrainingLock.Key & 0xFFFFFFFFL);
        var ids = new List<long>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct); // past the lock's own result
            while (await reader.ReadAsync(ct))
                ids.Add(reader.GetInt64(0));
        }
        await tx.CommitAsync(ct);
        if (ids.Count > 0)
            logger.LogWarning("Marked {Count} training run(s) whose process ended as failed: {RunIds}", ids.Count, string.Join(", ", ids));
        return ids;
    }

    /// <summary>
    /// Whether a recovered firing should give up rather than run: the latest <see cref="MaxConsecutiveInterruptions"/>
    /// runs of the same request were all interrupted. If so, records a failed run for it saying
    /// <see cref="InterruptedTwiceMessage"/>, which the Training page and a waiting caller see. A new launch (not a
    /// recovery) runs as usual.
    /// </summary>
    /// <remarks>
    /// The same request: its <paramref name="requestId"/>. A scheduled firing carries none: its runs are the runs of
    /// its kind and trigger without one (a schedule fires at most once at a time). Runs of other requests between two
    /// interruptions change nothing, where the latest runs of all requests once let a crashing request run again
    /// whenever another ran in between (issue 22 §6).
    /// </remarks>
    public async Task<bool> GiveUpOnRecoveryAsync(ModelKind kind, RunTrigger trigger, Guid? requestId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = requestId is { } id
            ? db.TrainingRuns.Where(r => r.RequestId == id)
            : db.TrainingRuns.Where(r => r.RequestId == null && r.Kind == kind && r.Trigger == trigger);
        var latest = await runs.AsNoTracking().OrderByDescending(r => r.Id)
            .Take(MaxConsecutiveInterruptions).Select(r => r.Error).ToListAsync(ct);
        if (latest.Count < MaxConsecutiveInterruptions || latest.Any(e => e != InterruptedMessage))
            return false;
        var now = clock.GetUtcNow();
        db.TrainingRuns.Add(new TrainingRun
        {
            Kind = kind, Trigger = trigger, Status = RunStatus.Failed, StartedAt = now, FinishedAt = now, RequestId = requestId, Error = InterruptedTwiceMessage,
        });
        await db.SaveChangesAsync(ct);
        logger.LogError("A recovered {Kind} retrain (request {RequestId}) was not run again: its last {Count} runs ended with their process (a crash loop?); launch it again once the cause is found",
            kind.Wire(), requestId?.ToString() ?? "of the schedule", MaxConsecutiveInterruptions);
        return true;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // Not worth refusing to start over: the next retrain job sweeps again.
            logger.LogError(e, "Could not settle interrupted training runs at startup");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
