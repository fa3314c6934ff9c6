using Bunit;
using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Pages.Models;

namespace ViralityDashboard.Tests.Components.Pages.Models;

public sealed class ChallengersPanelTests : DashboardTestContext
{
    private readonly FakeTraining _training = new();
    private readonly FakeChallengers _challengers = new();

    public ChallengersPanelTests()
    {
        _training.Register(Services);
        _challengers.Register(Services); // registered last: the one the panel gets
    }

    [Fact]
    public void ShowsEachChallengerAgainstTheChampionWithTheDifferenceItsIntervalAndTheCounts()
    {
        _challengers.Report = FakeChallengers.WithChallenger();
        AddAuthorization().SetAuthorized("viewer");

        var cut = Render<ChallengersPanel>();

        var row = cut.WaitForElement("[data-testid=challenger-row]");
        Assert.Equal("eng-20261123-030000-r4", row.GetAttribute("data-tag"));
        Assert.Equal("180", row.QuerySelector("[data-testid=shared]")!.TextContent);
        Assert.Equal("0.650 / 0.700", row.QuerySelector("[data-testid=accuracy]")!.TextContent);
        Assert.Equal("+0.050 [+0.004, +0.096]", row.QuerySelector("[data-testid=difference]")!.TextContent);
        Assert.Contains("21 / 12", row.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=promote-challenger]")); // a viewer cannot promote
        Assert.Empty(cut.FindAll("[data-testid=shadow-toggle]"));
    }

    [Fact]
    public void WithoutCandidatesOrShadowsItSaysSo()
    {
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);

        var cut = Render<ChallengersPanel>();

        cut.WaitForElement("[data-testid=challengers-panel] [data-testid=no-candidates]");
        Assert.NotNull(cut.Find("[data-testid=no-challengers]"));
        Assert.Empty(cut.FindAll("[data-testid=challenger-row]"));
    }

    [Fact]
    public void OwnerTogglesShadowPerVersionGivingAReasonTheAuditKeeps()
    {
        _challengers.Report = FakeChallengers.WithChallenger();
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ChallengersPanel>();
        var toggles = cut.WaitForElements("[data-testid=shadow-toggle]");
        Assert.Equal(["Stop shadow", "Shadow"], toggles.Select(b => b.TextContent.Trim()));

        cut.Find("[data-testid=shadow-toggle][data-tag=eng-20261120-030000-r1]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261120-030000-r1: not in shadow → in shadow", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("[data-testid=confirm]").Click(); // no reason yet: refused
        Assert.Contains("Give a reason", dialogs.Markup);
        dialogs.Find("[data-testid=cancel]").Click();
        Assert.Empty(_challengers.ShadowChanges);

        cut.Find("[data-testid=shadow-toggle][data-tag=eng-20261120-030000-r1]").Click();
        dialogs.WaitForElement("input").Input("compare on new videos");
        dialogs.Find("[data-testid=confirm]").Click();
        cut.WaitForAssertion(() => Assert.Single(_challengers.ShadowChanges));
        cut.Find("[data-testid=shadow-toggle][data-tag=eng-20261123-030000-r4]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261123-030000-r4: in shadow → not in shadow", dialogs.Find("[data-testid=from-to]").TextContent));
        dialogs.Find("input").Input("seen enough");
        dialogs.Find("[data-testid=confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            [("eng-20261120-030000-r1", true, "owner", "compare on new videos"), ("eng-20261123-030000-r4", false, "owner", "seen enough")], _challengers.ShadowChanges));
    }

    [Fact]
    public void OwnerPromotesAChallengerThroughTheActivationAfterConfirming()
    {
        _challengers.Report = FakeChallengers.WithChallenger();
        AddAuthorization().SetAuthorized("owner").SetPolicies(Policies.Owner);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ChallengersPanel>();

        cut.WaitForElement("[data-testid=promote-challenger]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("eng-20261121-030000-r2 → eng-20261123-030000-r4", dialogs.Find("[data-testid=promote-from-to]").TextContent));
        dialogs.Find("[data-testid=cancel]").Click();
        Assert.Empty(_training.Activated);

        cut.Find("[data-testid=promote-challenger]").Click();
        dialogs.WaitForElement("[data-testid=confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal([("eng-20261123-030000-r4", "owner", "promoted from shadow")], _training.Activated));
    }
}
