using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Training;

/// <summary>The launch form's choices, defaulting to the configured defaults' usual values.</summary>
public sealed class LaunchOptions
{
    public FeatureSet FeatureSet { get; set; } = FeatureSet.Seed15;
    public TierScheme TierScheme { get; set; } = TierScheme.Views;
    public TrainerKind Trainer { get; set; } = TrainerKind.Auto;
    /// <summary>
    /// Null: the run's own default (time for point-in-time rows, whose test videos must be the latest first seen;
    /// <c>Virality:Training:Split</c> otherwise).
    /// </summary>
    public SplitKind? Split { get; set; }
    /// <summary>Null: whatever <c>Virality:Training:Rows</c> says when the run starts (auto by default).</summary>
    public TrainingRowsMode? Rows { get; set; }

    public TrainingRequest ToRequest(string requestedBy) => new(FeatureSet, TierScheme, Trainer, Split, RequestedBy: requestedBy, Rows: Rows);
}

/// <summary>
/// The launched run as the page follows it: queued until its row appears, then the row's status. Either kind:
/// the run row carries the steps finished so far, in <see cref="StepOrder"/> (the kind's own).
/// </summary>
public sealed class LaunchProgress(IReadOnlyList<string> stepOrder)
{
    public LaunchProgress() : this(EngagementSteps) { }

    /// <summary>An engagement run's steps in the order they happen (the fallback read stands for the first two).</summary>
    public static readonly string[] EngagementSteps =
        ["count-histories", "percentiles-sql", "read-and-features", "read-histories", "load-active", "split", "fit", "evaluate", "importance", "cross-validate", "leakage", "gate-and-save", "store"];

    /// <summary>A preference run's steps (the fit covers correlation, models, CV and the dimension models).</summary>
    public static readonly string[] PreferenceSteps = ["read", "load-active", "fit", "store"];

    public IReadOnlyList<string> StepOrder { get; } = stepOrder;
    public Guid? RequestId { get; private set; }
    public DateTimeOffset LaunchedAt { get; private set; }
    public TrainingRunRow? Run { get; private set; }

    /// <summary>The run's status, or <see cref="Queued"/> until its row appears.</summary>
    public object State => Run?.Status ?? (object)Queued;
    public bool IsBusy => RequestId is not null && (Run is null || Run.Status == RunStatus.Running);

    public const string Queued = "queued";

    public void Start(Guid requestId, DateTimeOffset now)
    {
        RequestId = requestId;
        LaunchedAt = now;
        Run = null;
    }

    public void Update(TrainingRunRow? run) => Run = run ?? Run;

    public TimeSpan Elapsed(DateTimeOffset now) => Run?.Duration ?? now - LaunchedAt;

    public IReadOnlyList<Core.Ml.StepTiming> FinishedSteps => Run?.Steps ?? [];

    /// <summary>The step under way: the one after the last finished, while the run is running.</summary>
    public string? CurrentStep
    {
        get
        {
            if (Run is not { Status: RunStatus.Running })
                return null;
            var order = StepOrder.ToList();
            var last = FinishedSteps.Select(s => s.Step == "read-fallback" ? order.IndexOf("read-and-features") : order.IndexOf(s.Step)).DefaultIfEmpty(-1).Max();
            return last + 1 < order.Count ? order[last + 1] : null;
        }
    }

    /// <summary>
    /// Polls the run row (whichever scheduler node runs it) once a second until it has finished, calling
    /// <paramref name="changed"/> after each poll; returns when it has finished or <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<bool> FollowAsync(Func<Guid, CancellationToken, Task<TrainingRunRow?>> read, TimeProvider clock, Func<Task> changed, CancellationToken ct)
    {
        if (RequestId is not { } id)
            return false;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                Update(await read(id, ct));
                await changed();
                if (!IsBusy)
                    return true;
            }
        }
        catch (OperationCanceledException)
        {
            // page left
        }
        return false;
    }
}
