using System.Diagnostics;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Telemetry;

namespace ViralityDashboard.Training.Runs;

/// <summary>
/// One run's spans: <c>training run</c>, and under it one span per step as the lifecycle enters it. The fit's own
/// steps are timed inside the kind on a training thread and only reported when they end, so they become spans
/// after the fact, under <c>training fit</c>, with the start and end their timing gives.
/// </summary>
internal sealed class RunSpans : IDisposable
{
    private readonly Activity? _run;
    private Activity? _step;

    public RunSpans(ModelKind kind, RunTrigger trigger)
    {
        _run = ViralityTelemetry.Training.StartActivity("training run");
        _run?.SetTag("model.kind", kind.Wire()).SetTag("training.trigger", trigger.Wire());
    }

    /// <summary>Ends the step before, if any, and starts <paramref name="step"/>.</summary>
    public void Step(string step)
    {
        EndStep();
        _step = ViralityTelemetry.Training.StartActivity($"training {step}");
    }

    public void EndStep()
    {
        _step?.Dispose();
        _step = null;
    }

    /// <summary>A step the fit timed itself, just ended: a child of the current step, as long as its timing says. Thread-safe.</summary>
    public void Ended(StepTiming timing)
    {
        if (_step is not { } parent)
            return;
        var end = DateTimeOffset.UtcNow;
        using var span = ViralityTelemetry.Training.StartActivity($"training {timing.Step}", ActivityKind.Internal, parent.Context,
            startTime: end - TimeSpan.FromMilliseconds(timing.Milliseconds));
        span?.SetEndTime(end.UtcDateTime);
    }

    /// <summary>The run's outcome, once its row is final.</summary>
    public void Finish(TrainingRun row)
    {
        EndStep();
        _run?.SetTag("training.run_id", row.Id).SetTag("training.status", row.Status.Wire());
        if (row.Status == RunStatus.Failed)
            _run?.SetStatus(ActivityStatusCode.Error, row.Error);
    }

    public void Dispose()
    {
        EndStep();
        _run?.Dispose();
    }
}
