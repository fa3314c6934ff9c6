using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Data.Entities;

/// <summary>One training run, whatever started it and however it ended.</summary>
public sealed class TrainingRun
{
    public long Id { get; set; }
    public ModelKind Kind { get; set; }
    public RunTrigger Trigger { get; set; }
    /// <summary>For data triggers: which rule fired and the figures that fired it (jsonb).</summary>
    public string? TriggerDetails { get; set; }
    public RunStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string Options { get; set; } = "{}";
    public int VideoCount { get; set; }
    public bool UsedFallbackData { get; set; }
    /// <summary>Null until the gate has decided.</summary>
    public GateVerdict? GateDecision { get; set; }
    public string[] GateReasons { get; set; } = [];
    public string[] Warnings { get; set; } = [];
    public string? Thresholds { get; set; }
    public string? TierDistribution { get; set; }
    public string? Metrics { get; set; }
    public string? Timings { get; set; }
    public string? Error { get; set; }
    public long? ModelVersionId { get; set; }
    /// <summary>Set by whoever launched the run (CLI, page) to find its outcome, whichever scheduler node ran it.</summary>
    public Guid? RequestId { get; set; }
    /// <summary>
    /// The PostgreSQL backend (<c>pg_backend_pid()</c>) whose session holds this run's training advisory lock. While that
    /// session holds the lock the run's process is alive; once it does not, a row still <c>running</c> was interrupted.
    /// </summary>
    public int? LockBackendPid { get; set; }
}
