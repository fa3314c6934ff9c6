using Bunit;
using ViralityDashboard.Components.Pages.Training;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.Tests.Components.Pages.Training;

public sealed class DriftTriggerPanelTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();
    private readonly FakeChallengers _drift = new();

    public DriftTriggerPanelTests()
    {
        _training.Register(Services);
        _drift.Register(Services);
        AddAuthorization().SetAuthorized("viewer");
    }

    [Fact]
    public void ShowsTheRuleEachActiveVersionsFiguresTheCooldownAndTheLastDriftRun()
    {
        var t0 = FakeChallengers.T0;
        var details = new DriftTriggerDetails("eng-20261121-030000-r2", "seed15", 200, 200, 130, 0.65, 0.71, 0.06, 0.05, t0, t0.AddDays(6), "eng-20261121-030000-r2: realized accuracy 0.650 …");
        _drift.Drift = new DriftEvaluation(false, "Cooling down until 2026-11-21 09:00 UTC after drift run 7.",
            [new("eng-20261121-030000-r2", "seed15", 200, 130, 0.65, 0.71, 0.06, true, "drifted")],
            t0.AddDays(1).AddHours(6), new DriftRunSummary(7, RunStatus.SkippedByGate, t0.AddHours(9), "eng-20261121-090000-r7", details), null);

        var cut = Render<DriftTriggerPanel>();

        cut.WaitForElement("[data-testid=drift-trigger] [data-testid=drift-figures]");
        Assert.Contains("last 200 matured", cut.Find("[data-testid=drift-rule]").TextContent);
        Assert.Contains("0.050 or more below", cut.Find("[data-testid=drift-rule]").TextContent);
        Assert.Contains("24 h", cut.Find("[data-testid=drift-rule]").TextContent);
        Assert.Equal("200 / 200", cut.Find("[data-testid=drift-matured]").TextContent);
        Assert.Equal("0.650", cut.Find("[data-testid=drift-realized]").TextContent);
        Assert.Equal("0.060", cut.Find("[data-testid=drift-drop]").TextContent);
        Assert.Equal("0.710 test (no served figure)", cut.Find("[data-testid=drift-compared]").TextContent);
        Assert.Contains("below its served accuracy at training", cut.Find("[data-testid=drift-rule]").TextContent);
        Assert.Contains("Cooling down until 2026-11-21 09:00:00 UTC", cut.Find("[data-testid=drift-cooldown]").TextContent);
        var last = cut.Find("[data-testid=drift-last-run]").TextContent;
        Assert.Contains("#7", last);
        Assert.Contains("skipped by gate", last);
        Assert.Contains("eng-20261121-090000-r7", last);
    }

    [Fact]
    public void AVersionWithAServedAccuracyIsShownComparedWithIt()
    {
        _drift.Drift = new DriftEvaluation(false, "eng-pit: …",
            [new("eng-pit", "early", 200, 150, 0.75, 0.95, 0.03, false, "not drifted", ServedAccuracy: 0.78, ComparedWith: AccuracyBasis.Served)], null, null, null);

        var cut = Render<DriftTriggerPanel>();

        cut.WaitForElement("[data-testid=drift-figures]");
        Assert.Equal("0.780 served", cut.Find("[data-testid=drift-compared]").TextContent);
        Assert.Equal("0.030", cut.Find("[data-testid=drift-drop]").TextContent);
    }

    [Fact]
    public void WithoutAnActiveVersionOrDriftRunItSaysSo()
    {
        var cut = Render<DriftTriggerPanel>();

        cut.WaitForElement("[data-testid=drift-summary]");
        Assert.Contains("No active engagement version", cut.Find("[data-testid=drift-summary]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=drift-figures]"));
        Assert.Contains("No cooldown running", cut.Find("[data-testid=drift-cooldown]").TextContent);
        Assert.Contains("No drift-triggered run yet", cut.Find("[data-testid=drift-last-run]").TextContent);
    }
}
