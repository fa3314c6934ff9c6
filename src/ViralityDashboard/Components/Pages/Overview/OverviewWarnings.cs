using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Components.Pages.Overview;

/// <summary>One overview warning; <paramref name="Href"/> leads to where it is fixed.</summary>
public sealed record OverviewWarning(string Text, string? Href = null, string? LinkText = null);

/// <summary>What the overview warns about: the last run's gate failure, errors and leakage, and a stale baseline.</summary>
public static class OverviewWarnings
{
    /// <summary>Where a baseline is computed (the Calibration page's "Compute new baseline").</summary>
    public const string BaselineHref = "calibration";
    private const string BaselineLink = "Compute a baseline on the Calibration page";

    public static readonly TimeSpan BaselineMaxAge = TimeSpan.FromDays(30);

    public static IEnumerable<OverviewWarning> For(TrainingRunDetail? lastRun, BaselineAge baseline, DateTimeOffset now)
    {
        if (lastRun is not null)
        {
            var r = lastRun.Run;
            if (r.GateDecision == GateVerdict.Rejected)
                yield return new($"Last run #{r.Id} was rejected by the gate: {string.Join(" ", r.GateReasons)}");
            if (r.Status == RunStatus.Failed)
                yield return new($"Last run #{r.Id} failed: {r.Error}");
            foreach (var leak in lastRun.Metrics?.Leakage?.Where(l => l.Warning is not null) ?? [])
                yield return new($"Leakage in run #{r.Id}: {leak.Warning}");
        }
        if (baseline.ComputedAt is null)
            yield return new("No calibration baseline yet.", BaselineHref, BaselineLink);
        else if (now - baseline.ComputedAt > BaselineMaxAge)
            yield return new($"The calibration baseline is {(int)(now - baseline.ComputedAt.Value).TotalDays} days old.", BaselineHref, BaselineLink);
        else if (baseline.VideosNow > baseline.VideoCount * 1.2 && baseline.VideoCount > 0)
            yield return new($"The calibration baseline covers {baseline.VideoCount:N0} videos; there are {baseline.VideosNow:N0} now.", BaselineHref, BaselineLink);
    }
}
