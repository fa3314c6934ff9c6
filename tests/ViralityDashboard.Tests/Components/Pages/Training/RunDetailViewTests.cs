using Bunit;
using ViralityDashboard.Components.Pages.Training;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Components.Pages.Training;

public sealed class RunDetailViewTests : DashboardTestContext
{
    // As TrainingPipeline words it for a latest run whose served accuracy is far below its test accuracy.
    private const string GapWarning = "Trained on latest counts: test accuracy 0.950, but 0.600 on its 240 test videos as first seen, " +
        "which is what it will be served on. Point-in-time rows (--rows point-in-time) test what is served.";

    private static RunMetrics Metrics(double test) => new("lightGbm", "early", "time", 1200, 960, 240, FakeTraining.Metrics(test), 0.74,
        FakeTraining.Metrics(0.2), null, [], null, FakeTraining.Metrics(0.21));

    private static TrainingRunDetail Detail(RunMetrics? metrics, params string[] warnings) => new(
        new TrainingRunRow(7, RunTrigger.Manual, RunStatus.Completed, FakeTraining.T0, FakeTraining.T0.AddSeconds(9), 1200,
            GateVerdict.Accepted, [], metrics?.Test.Accuracy, metrics?.Test.MacroF1, "eng-r7", null),
        warnings, metrics, null, []);

    private IRenderedComponent<RunDetailView> Show(TrainingRunDetail detail) => Render<RunDetailView>(p => p.Add(c => c.Detail, detail));

    [Fact]
    public void APointInTimeRunShowsItsRowsReportServedFiguresBesideTheTestOnesAndTheGrowthBaseline()
    {
        var metrics = Metrics(0.69) with
        {
            Rows = new RowsReport(TrainingRowsMode.PointInTime, 1200, 1200, 300, 45, 2.0, 20.5, 96.0),
            Served = new ServedAccuracy(FakeTraining.Metrics(0.68), 240),
            GrowthBaseline = FakeTraining.Metrics(0.62),
        };

        var cut = Show(Detail(metrics));

        var rows = cut.Find("[data-testid=rows-report]").TextContent;
        Assert.Contains("point-in-time", rows);
        Assert.Contains("1,200 videos", rows);
        Assert.Contains("300 not matured", rows);
        Assert.Contains("45 with no snapshot before the matured one", rows);
        Assert.Contains("2.0 h", rows);
        Assert.Contains("20.5 h", rows);
        Assert.Contains("96.0 h", rows);
        var figures = cut.FindAll("[data-testid=figures] tbody tr").ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.Children.Skip(1).Select(c => c.TextContent.Trim()).ToList());
        Assert.Equal(["test", "served", "growth baseline", "majority baseline", "stratified baseline"], figures.Keys);
        Assert.Equal(["0.690", "0.670", "0.860", "240 rows"], figures["test"]);
        Assert.Equal(["0.680", "0.660", "0.860", "240 videos as first seen"], figures["served"]);
        Assert.Equal("0.620", figures["growth baseline"][0]);
        Assert.Equal("0.200", figures["majority baseline"][0]);
        Assert.Equal("0.210", figures["stratified baseline"][0]);
        Assert.Empty(cut.FindAll("[data-testid=served-gap]"));
    }

    [Fact]
    public void ALatestRunServedFarBelowItsTestAccuracyShowsBothFiguresProminentlyAndOnlyOnce()
    {
        var metrics = Metrics(0.95) with
        {
            Rows = new RowsReport(TrainingRowsMode.Latest, 1500, 1500, 0, 0),
            Served = new ServedAccuracy(FakeTraining.Metrics(0.60), 240),
        };

        var cut = Show(Detail(metrics, GapWarning, "Leakage: like_rate is computed from the label's source."));

        var gap = cut.Find("[data-testid=served-gap]").TextContent;
        Assert.Contains("0.950", gap);
        Assert.Contains("0.600", gap);
        Assert.Contains("240 test videos", gap);
        // The pipeline's own wording of the same warning is not listed a second time; the others still are.
        Assert.Equal(["Leakage: like_rate is computed from the label's source."], cut.FindAll("[data-testid=run-warning]").Select(w => w.TextContent.Trim()));
        Assert.Contains("latest", cut.Find("[data-testid=rows-report]").TextContent);
    }

    [Fact]
    public void ALatestRunServedCloseToItsTestAccuracyHasNoGapWarning()
    {
        var metrics = Metrics(0.70) with
        {
            Rows = new RowsReport(TrainingRowsMode.Latest, 1500, 1500, 0, 0),
            Served = new ServedAccuracy(FakeTraining.Metrics(0.66), 240),
        };

        var cut = Show(Detail(metrics));

        Assert.Empty(cut.FindAll("[data-testid=served-gap]"));
        Assert.Equal("0.660", cut.FindAll("[data-testid=figures] tbody tr").Single(r => r.Children[0].TextContent.Trim() == "served").Children[1].TextContent);
    }

    [Fact]
    public void ARunStoredBeforeServedAccuracyAndRowsRendersWithDashes()
    {
        var cut = Show(Detail(Metrics(0.70) with { StratifiedRandomBaseline = null }, "Leakage: like_rate is computed from the label's source."));

        Assert.Empty(cut.FindAll("[data-testid=rows-report]"));
        Assert.Empty(cut.FindAll("[data-testid=served-gap]"));
        var figures = cut.FindAll("[data-testid=figures] tbody tr").ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.Children[1].TextContent.Trim());
        Assert.Equal("0.700", figures["test"]);
        Assert.Equal("—", figures["served"]);
        Assert.Equal("—", figures["growth baseline"]);
        Assert.Equal("—", figures["stratified baseline"]);
        Assert.Single(cut.FindAll("[data-testid=run-warning]"));
    }
}
