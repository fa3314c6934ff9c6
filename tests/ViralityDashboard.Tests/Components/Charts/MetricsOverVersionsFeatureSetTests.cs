using Bunit;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Charts;

public sealed class MetricsOverVersionsFeatureSetTests : DashboardTestContext
{
    private static ModelVersionRow Version(long id, string featureSet, double accuracy) => new(id, ModelKind.Engagement, $"eng-r{id}", VersionStatus.Inactive, false,
        FakeTraining.T0.AddDays(id), 4_800, featureSet, "views", "lightgbm", null, accuracy, accuracy - 0.05, accuracy - 0.1);

    [Fact]
    public void EachFeatureSetIsItsOwnLineSoPrePostingScoresDoNotReadAsARegression()
    {
        var cut = Render<MetricsOverVersionsChart>(p => p.Add(c => c.Versions,
            [Version(1, "seed15", 0.70), Version(2, "pre-posting", 0.47), Version(3, "seed15", 0.72), Version(4, "pre-posting", 0.49)]));

        var series = cut.Instance.Series;
        Assert.Equal(["accuracy · seed15", "macro-F1 · seed15", "kappa · seed15", "accuracy · pre-posting", "macro-F1 · pre-posting", "kappa · pre-posting"], series.Keys);
        Assert.Equal([0.70, 0.72], series["accuracy · seed15"].Cast<double>());
        Assert.Equal([0.47, 0.49], series["accuracy · pre-posting"].Cast<double>());
        var layout = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Layout;
        Assert.Equal(["eng-r1", "eng-r2", "eng-r3", "eng-r4"], layout.XAxis[0].CategoryArray.Cast<string>()); // training order across both lines
    }

    [Fact]
    public void OneFeatureSetKeepsThePlainMetricNames()
    {
        var cut = Render<MetricsOverVersionsChart>(p => p.Add(c => c.Versions, [Version(1, "seed15", 0.70), Version(2, "seed15", 0.72)]));

        Assert.Equal(["accuracy", "macro-F1", "kappa"], cut.Instance.Series.Keys);
    }
}
