using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;
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
    public void TheRegistryShowsEachVersionsServedAccuracyBesideItsTestAccuracy()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=registry] tbody tr").Count));
        var headers = cut.FindAll("[data-testid=registry] thead th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(headers.IndexOf("test accuracy") + 1, headers.IndexOf("served"));
        // r2 has served figures; r3 and r1 were stored before they existed.
        Assert.Equal(["—", "0.660", "—"], cut.FindAll("[data-testid=registry] [data-testid=served]").Select(c => c.TextContent.Trim()));
        Assert.Equal(["0.580", "0.710", "0.680"], cut.FindAll("[data-testid=registry] [data-testid=test-accuracy]").Select(c => c.TextContent.Trim()));
    }

    [Fact]
    public void TheComparisonShowsServedAccuracyBesideTestAccuracyAndTheRowsMode()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=compare-metrics]").Count));
        // The active r2 (point-in-time, served figures) against r1 (stored before).
        var tables = cut.FindAll("[data-testid=compare-metrics]")
            .Select(t => t.QuerySelectorAll("tr").ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.Children[1].TextContent.Trim()))
            .ToList();
        Assert.Equal(["0.710", "0.680"], tables.Select(t => t["test accuracy"]));
        Assert.Equal(["0.660 (200 videos)", "—"], tables.Select(t => t["served accuracy"]));
        Assert.Equal(["0.640", "—"], tables.Select(t => t["served macro-F1"]));
        Assert.Equal(["point-in-time", "—"], tables.Select(t => t["rows mode"].Split(' ')[0]));
        var keys = tables[0].Keys.ToList();
        Assert.Equal(keys.IndexOf("test accuracy") + 1, keys.IndexOf("served accuracy"));
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

    /// <summary>Issue 24 §1: a pre-posting version active beside the seed15 one (and listed first, as the newer).</summary>
    private void AddActivePrePostingVersion() =>
        _training.Versions.Insert(0, new(4, ModelKind.Engagement, "eng-20261123-030000-r4", VersionStatus.Active, true, FakeTraining.T0.AddDays(3), 4812,
            "pre-posting", "views", "lbfgs", null, 0.40, 0.38, 0.30));

    [Fact]
    public void EachActiveFeatureSetHasItsOwnRollBackWhichRollsBackThatFeatureSet()
    {
        AddActivePrePostingVersion();
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(["pre-posting", "seed15"], cut.FindAll("[data-testid=rollback]").Select(b => b.GetAttribute("data-feature-set"))));
        cut.Find("[data-testid=rollback][data-feature-set=seed15]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261121-030000-r2 → eng-20261120-030000-r1", dialogs.Find("[data-testid=from-to]").TextContent));
        Assert.Contains("seed15", dialogs.Find("[data-testid=change-feature-set]").TextContent);
        dialogs.Find("input").Input("back to r1");
        dialogs.Find("[data-testid=confirm]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["seed15"], _training.RolledBackFeatureSets));
        Assert.Equal([(ModelKind.Engagement, (string?)"seed15")], _training.RollbackPreviews);
    }

    [Fact]
    public void TheActivateDialogNamesTheRegistrysFromNotTheFirstActiveRow()
    {
        AddActivePrePostingVersion();
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ModelsPage>();

        cut.WaitForElement("[data-testid=activate]").Click();

        // The first active row is the pre-posting r4; activating a seed15 version replaces the seed15 r2.
        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261121-030000-r2 → eng-20261120-030000-r1", dialogs.Find("[data-testid=from-to]").TextContent));
    }

    [Fact]
    public void ARollbackTheRegistryRefusesShowsItsReasonAndNoDialog()
    {
        _training.RollbackPreview = (_, _) => throw new ModelRegistryException("eng-20261121-030000-r2 has no previously active engagement seed15 version to roll back to.");
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ModelsPage>();

        cut.WaitForElement("[data-testid=rollback]").Click();

        cut.WaitForAssertion(() => Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message?.Contains("no previously active", StringComparison.Ordinal) == true));
        Assert.Empty(dialogs.FindAll("[data-testid=confirm-change]"));
        Assert.Empty(_training.RolledBack);
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
