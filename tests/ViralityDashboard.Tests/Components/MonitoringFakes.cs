using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Tests.Components;

/// <summary>Realized weeks as the maturing pass would leave them, served the way <c>MonitoringQueries</c> filters them; records what pages ask.</summary>
public sealed class FakeMonitoring : IMonitoringQueries
{
    public static readonly DateOnly FirstWeek = new(2026, 10, 5);

    public List<VersionMonitoring> Versions { get; } = [];
    public List<(string? Tag, int Weeks)> Asked { get; } = [];

    /// <summary>The prediction log's size as served; by default an empty log under the default retention.</summary>
    public PredictionLogSize Log { get; set; } = new(0, false, 8192, PredictionLogRetention.Of(new PredictionLogRetentionOptions()));

    /// <summary>A week from its counts: <paramref name="right"/> on the diagonal of each tier, <paramref name="wrong"/> one tier off.</summary>
    public static RealizedWeekFigures Week(int index, int right, int wrong)
    {
        int[][] confusion = [.. Enumerable.Range(0, 5).Select(a => Enumerable.Range(0, 5).Select(p => p == a ? right : p == (a + 1) % 5 ? wrong : 0).ToArray())];
        var m = Metrics.FromConfusion(confusion);
        var (low, high) = Metrics.WilsonInterval(5 * right, m.Count);
        return new RealizedWeekFigures(FirstWeek.AddDays(7 * index), m.Count, m.Accuracy, m.MacroF1, m.QuadraticWeightedKappa, m.WithinOneTierAccuracy, low, high, confusion);
    }

    public static VersionMonitoring Version(string tag, bool active, double? testAccuracy, params RealizedWeekFigures[] weeks) =>
        new(tag, "seed15", active, IsShadow: false, FakeTraining.T0, testAccuracy, testAccuracy - 0.02, weeks);

    /// <summary>A version stored with a served accuracy (issue 23 §4) and, optionally, predictions not counted.</summary>
    public static VersionMonitoring Served(string tag, bool active, double testAccuracy, double servedAccuracy, int noLaterSnapshot, params RealizedWeekFigures[] weeks) =>
        Version(tag, active, testAccuracy, weeks) with { ServedAccuracy = servedAccuracy, NoLaterSnapshot = noLaterSnapshot };

    public Task<MonitoringReport> GetAsync(string? versionTag = null, int weeks = 12, CancellationToken ct = default)
    {
        Asked.Add((versionTag, weeks));
        if (versionTag is not null && Versions.All(v => v.Tag != versionTag))
            throw new ModelRegistryException($"No engagement model version is tagged '{versionTag}'.");
        return Task.FromResult(new MonitoringReport(Versions
            .Where(v => versionTag is null || v.Tag == versionTag)
            .Select(v => v with { Weeks = v.Weeks.TakeLast(weeks).ToList() }).ToList(), Log));
    }
}
