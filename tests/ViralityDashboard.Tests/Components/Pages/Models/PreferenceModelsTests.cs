using ViralityDashboard.Core.Ml;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Charts;
using ViralityDashboard.Components.Pages.Models;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Tests.Components.Pages.Models;

public sealed class PreferenceModelsTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();
    private readonly FakePreference _preference = new();

    public PreferenceModelsTests()
    {
        _training.Register(Services);
        _preference.Register(Services);
    }

    [Fact]
    public void ShowsThePreferenceRegistryWithRegressionMetricsVerdictAndMilestone()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceModels>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-registry] tbody tr").Count));
        var headers = cut.FindAll("[data-testid=pref-registry] thead th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Contains("MAE", headers);
        Assert.Contains("R²", headers);
        Assert.Contains("verdict", headers);
        Assert.Contains("milestone", headers);
        Assert.DoesNotContain("accuracy", headers);
        Assert.Equal(["rejected", "active", "inactive"], cut.FindAll("[data-testid=pref-registry] [data-testid=status]").Select(s => s.TextContent.Trim()));
        var active = cut.FindAll("[data-testid=pref-registry] tbody tr")[1].TextContent;
        Assert.Contains("retrain", active);
        Assert.Contains("0.97", active); // points on the 0–10 scale
        Assert.Contains("0.640", active);
        Assert.Contains("0.95 ± 0.10", active);
        Assert.Equal("production readyR² good", cut.FindAll("[data-testid=pref-verdict-cell]")[1].TextContent.Trim());
        Assert.Equal(3, cut.FindComponent<PreferenceMetricsChart>().Instance.Series["test MAE"].Count);
        Assert.Equal(2, cut.FindAll("[data-testid=pref-compare-metrics]").Count);
        Assert.Equal(4, cut.FindComponent<PreferenceWeightsChart>().Instance.Features.Count);
        Assert.Equal(2, cut.FindAll("[data-testid=pref-audit-action]").Count);
    }

    [Fact]
    public void ViewerSeesNoActivateOrRollbackButtons()
    {
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<PreferenceModels>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-registry] tbody tr").Count));
        Assert.Empty(cut.FindAll("[data-testid=pref-activate]"));
        Assert.Empty(cut.FindAll("[data-testid=pref-rollback]"));
    }

    [Fact]
    public void OwnerActivatesAPreferenceVersionAfterConfirmingWithAReason()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<PreferenceModels>();

        var activate = cut.WaitForElement("[data-testid=pref-activate]");
        Assert.Single(cut.FindAll("[data-testid=pref-activate]")); // the inactive one; the active and the rejected have none
        activate.Click();

        dialogs.WaitForAssertion(() => Assert.Equal($"{FakePreference.Active} → {FakePreference.Previous}", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("input").Input("r7 overrates meme formats");
        dialogs.Find("[data-testid=confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal([(FakePreference.Previous, "owner", "r7 overrates meme formats")], _training.Activated));
    }

    [Fact]
    public void OwnerRollsBackThePreferenceModelNotTheEngagementOne()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<PreferenceModels>();

        cut.WaitForElement("[data-testid=pref-rollback]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal($"{FakePreference.Active} → {FakePreference.Previous}", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("input").Input("back to r5");
        dialogs.Find("[data-testid=confirm]").Click();
        cut.WaitForAssertion(() => Assert.Equal([("owner", "back to r5")], _training.RolledBack));
        Assert.Equal([ModelKind.Preference], _training.RolledBackKinds);
    }

    [Fact]
    public async Task TheChangeFlowRefusesAViewerAfterTheDialog()
    {
        AddAuthorization().SetAuthorized("viewer");
        var dialogs = Render<MudDialogProvider>();
        var flow = new ModelChangeFlow(Services.GetRequiredService<IDialogService>(), Services.GetRequiredService<OwnerGuard>(), Services.GetRequiredService<ISnackbar>());
        var called = false;

        var change = dialogs.InvokeAsync(() => flow.ConfirmAndApplyAsync("Activate",
            () => Task.FromResult(new PlannedChange(ModelKind.Preference, "analysis-v1", FakePreference.Active, FakePreference.Previous)), (_, _) =>
        {
            called = true;
            return Task.FromResult<ActivationChange>(null!);
        }));
        dialogs.WaitForElement("input").Input("viewer tries");
        dialogs.Find("[data-testid=confirm]").Click();

        Assert.False(await change);
        Assert.False(called);
        Assert.Contains(Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Message == "Only the owner may activate a model.");
    }

    [Fact]
    public void TheModelsPageOpensThePreferenceTabFromTheQuery()
    {
        AddAuthorization().SetAuthorized("viewer");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/models?tab=preference");

        var cut = Render<ModelsPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pref-registry] tbody tr").Count));
        Assert.Empty(cut.FindAll("[data-testid=registry]"));
    }
}
