using ViralityDashboard.Data.Queries;
using ViralityDashboard.Training;

namespace ViralityDashboard.Components.Pages.Training;

/// <summary>The launch form's choices, defaulting to the configured defaults' usual values.</summary>
public sealed class LaunchOptions
{
    public string FeatureSet { get; set; } = "seed15";
    public string TierScheme { get; set; } = "views";
    public string Trainer { get; set; } = "lbfgs";
    public string Split { get; set; } = "stratified";

    public TrainingRequest ToRequest(string requestedBy) => new(FeatureSet, TierScheme, Trainer, Split, RequestedBy: requestedBy);
}

/// <summary>The launched run as the page follows it: queued until its row appears, then the row's status.</summary>
public sealed class LaunchProgress
{
    public Guid? RequestId { get; private set; }
    public DateTimeOffset LaunchedAt { get; private set; }
    public TrainingRunRow? Run { get; private set; }

    public string State => Run?.Status ?? "queued";
    public bool IsBusy => RequestId is not null && (Run is null || Run.Status == "running");

    public void Start(Guid requestId, DateTimeOffset now)
    {
        RequestId = requestId;
        LaunchedAt = now;
        Run = null;
    }

    public void Update(TrainingRunRow? run) => Run = run ?? Run;

    public TimeSpan Elapsed(DateTimeOffset now) => Run?.Duration ?? now - LaunchedAt;

    /// <summary>A run's steps in the order they happen (the fallback read stands for the first three).</summary>
    public static readonly string[] StepOrder =
        ["read", "percentiles-sql", "features", "load-active", "split", "fit", "evaluate", "cross-validate", "leakage", "gate-and-save", "store"];

    public IReadOnlyList<Core.Ml.StepTiming> FinishedSteps => Run?.Steps ?? [];

    /// <summary>The step under way: the one after the last finished, while the run is running.</summary>
    public string? CurrentStep
    {
        get
        {
            if (Run is not { Status: "running" })
                return null;
            var last = FinishedSteps.Select(s => s.Step == "read-fallback" ? Array.IndexOf(StepOrder, "features") : Array.IndexOf(StepOrder, s.Step)).DefaultIfEmpty(-1).Max();
            return last + 1 < StepOrder.Length ? StepOrder[last + 1] : null;
        }
    }
}
