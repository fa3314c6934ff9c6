using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Components.Pages.Overview;

/// <summary>What the overview warns about: the last run's gate failure, errors and leakage, and a stale baseline.</summary>
public static class OverviewWarnings
{
    public static readonly TimeSpan BaselineMaxAge = TimeSpan.FromDays(30);

    public static IEnumerable<string> For(TrainingRunDetail? lastRun, BaselineAge baseline, DateTimeOffset now)
    {
        if (lastRun is not null)
        {
            var r = lastRun.Run;
            if (r.GateDecision == GateVerdict.Rejected)
                yield return $"Last run #{r.Id} was rejected by the gate: {string.Join(" ", r.GateReasons)}";
            if (r.Status == RunStatus.Failed)
                yield return $"Last run #{r.Id} failed: {r.Error}";
            foreach (var leak in lastRun.Metrics?.Leakage?.Where(l => l.Warning is not null) ?? [])
                yield return $"Leakage in run #{r.Id}: {leak.Warning}";
        }
        if (baseline.ComputedAt is null)
            yield return "No calibration baseline yet: compute one on the Calibration page.";
        else if (now - baseline.ComputedAt > BaselineMaxAge)
            yield return $"The calibration baseline is {(int)(now - baseline.ComputedAt.Value).TotalDays} days old.";
        else if (baseline.VideosNow > baseline.VideoCount * 1.2 && baseline.VideoCount > 0)
            yield return $"The calibration baseline covers {baseline.VideoCount:N0} videos; there are {baseline.VideosNow:N0} now.";
    }
}
