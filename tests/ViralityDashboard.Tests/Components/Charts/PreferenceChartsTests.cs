using Bunit;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Training;

namespace ViralityDashboard.Tests.Components.Charts;

public sealed class PreferenceChartsTests : DashboardTestContext
{
    [Fact]
    public void CorrelationChartDrawsNegativesBelowPositivesStrongestOnTop()
    {
        var cut = Render<CorrelationChart>(p => p.Add(c => c.Snapshot, FakePreference.Snapshot()).Add(c => c.Top, 2));

        Assert.Equal(
            [("trends.memeDependent", -0.44), ("casting.actingSkillRequired", -0.58), ("standalone.worksWithoutContext", 0.52), ("script.replicability.score", 0.69)],
            cut.Instance.Bars);
    }

    [Fact]
    public void CorrelationChartSaysSoWithoutASnapshot()
    {
        var cut = Render<CorrelationChart>(p => p.Add(c => c.Snapshot, null));

        Assert.Contains("No correlations stored", cut.Markup);
    }

    [Fact]
    public void PreferenceMetricsChartPlotsVersionsOldestFirstAndSkipsThoseWithoutMetrics()
    {
        var preference = new FakePreference();
        var versions = preference.Versions.Append(preference.Versions[0] with { Id = 11, Tag = "pref-broken", Mae = null, R2 = null }).ToList();

        var cut = Render<PreferenceMetricsChart>(p => p.Add(c => c.Versions, versions));

        Assert.Equal([0.104, 0.097, 0.112], cut.Instance.Series["test MAE"].Cast<double>());
        Assert.Equal([0.563, 0.64, 0.571], cut.Instance.Series["R²"].Cast<double>());
    }

    [Fact]
    public async Task PreferenceWeightsChartKeepsTheStrongestFeaturesOfEitherVersion()
    {
        var preference = new FakePreference();
        var details = new List<PreferenceVersionDetail> { (await preference.VersionAsync(FakePreference.Active))!, (await preference.VersionAsync(FakePreference.Previous))! };

        var cut = Render<PreferenceWeightsChart>(p => p.Add(c => c.Versions, details).Add(c => c.Top, 2));

        Assert.Equal(["casting.actingSkillRequired", "script.replicability.score"], cut.Instance.Features);
    }
}
