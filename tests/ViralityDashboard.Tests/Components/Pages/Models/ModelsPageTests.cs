using Bunit;
using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Models;

namespace ViralityDashboard.Tests.Components.Pages.Models;

public sealed class ModelsPageTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();

    public ModelsPageTests() => _training.Register(Services);

    [Fact]
    public void ShowsTheRegistryChartComparisonAndAuditLog()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=registry] tbody tr").Count));
        Assert.Equal(["rejected", "active", "inactive"], cut.FindAll("[data-testid=registry] [data-testid=status]").Select(s => s.TextContent.Trim()));
        Assert.Equal(3, cut.FindComponent<MetricsOverVersionsChart>().Instance.Series["kappa"].Count);
        Assert.Equal(2, cut.FindAll("[data-testid=compare-metrics]").Count);
        Assert.Equal(2, cut.FindComponent<FeatureWeightsChart>().Instance.Series.Count);
        Assert.Equal(2, cut.FindAll("[data-testid=audit-action]").Count);
    }

    [Fact]
    public void OwnerActivatesAVersionAfterConfirmingWithAReason()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ModelsPage>();

        var activate = cut.WaitForElement("[data-testid=activate]");
        Assert.Single(cut.FindAll("[data-testid=activate]")); // the inactive one; the active and the rejected have none
        activate.Click();

        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261121-030000-r2 → eng-20261120-030000-r1", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("[data-testid=confirm]").Click();
        Assert.Empty(_training.Activated); // a reason is required
        dialogs.Find("input").Input("r2 over-predicts tier 5");
        dialogs.Find("[data-testid=confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal([("eng-20261120-030000-r1", "owner", "r2 over-predicts tier 5")], _training.Activated));
    }

    [Fact]
    public void OwnerRollsBackToThePreviouslyActiveVersion()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ModelsPage>();

        cut.WaitForElement("[data-testid=rollback]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261121-030000-r2 → eng-20261120-030000-r1", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("input").Input("back to r1");
        dialogs.Find("[data-testid=confirm]").Click();
        cut.WaitForAssertion(() => Assert.Equal([("owner", "back to r1")], _training.RolledBack));
    }

    [Fact]
    public void ViewerSeesNoActivateOrRollbackButtons()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=registry] tbody tr").Count));
        Assert.Empty(cut.FindAll("[data-testid=activate]"));
        Assert.Empty(cut.FindAll("[data-testid=rollback]"));
    }
}
