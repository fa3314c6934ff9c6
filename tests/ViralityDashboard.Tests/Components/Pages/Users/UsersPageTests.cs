using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Account;
using ViralityDashboard.Components.Pages.Users;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Tests.Components.Pages.Users;

public sealed class UsersPageTests : DashboardTestContext
{
    private readonly FakeAccounts _accounts = new();

    public UsersPageTests() => Services.AddSingleton<IUserAccounts>(_accounts);

    [Fact]
    public void OwnerAddsAViewerAndSeesTheGeneratedPasswordOnce()
    {
        this.SignInAsOwner();
        var cut = Render<UsersPage>();

        cut.Find("input[data-testid=new-user]").Change("alex");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Gen3rated-pass", cut.Find("[data-testid=generated-password]").TextContent));
        Assert.Equal([("alex", Roles.Viewer)], _accounts.Created);
        Assert.Equal(["alex", "owner"], cut.FindAll("[data-testid=account-name]").Select(c => c.TextContent));
    }

    [Fact]
    public void ATooShortPasswordIsRefusedBeforeAnythingIsCreated()
    {
        this.SignInAsOwner();
        var cut = Render<UsersPage>();

        cut.Find("input[data-testid=new-user]").Change("alex");
        cut.Find("input[type=password]").Change("short");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("At least 10 characters", cut.Markup));
        Assert.Empty(_accounts.Created);
    }

    [Fact]
    public void RemovingAnAccountAsksForConfirmationFirst()
    {
        this.SignInAsOwner();
        _accounts.Accounts.Add(new UserAccount("alex", Roles.Viewer));
        var cut = Render<UsersPage>();

        cut.FindAll("[data-testid=remove]")[0].Click();
        Assert.Empty(_accounts.Removed);
        cut.Find("[data-testid=confirm-remove]").Click();

        cut.WaitForAssertion(() => Assert.Equal([("alex", "owner")], _accounts.Removed));
        Assert.Equal(["owner"], cut.FindAll("[data-testid=account-name]").Select(c => c.TextContent));
    }

    [Fact]
    public void TheServiceRefusesAViewerEvenWhenThePageIsRendered()
    {
        // The route's [Authorize] policy keeps a viewer off the page; render it anyway to prove the server-side check.
        this.SignInAsViewer();
        var snackbar = Render<MudBlazor.MudSnackbarProvider>();
        var cut = Render<UsersPage>();

        cut.Find("input[data-testid=new-user]").Change("mallory");
        cut.Find("form").Submit();

        snackbar.WaitForAssertion(() => Assert.Contains("Only the owner may add accounts.", snackbar.Markup));
        Assert.Empty(_accounts.Created);
    }

    private sealed class FakeAccounts : IUserAccounts
    {
        public List<UserAccount> Accounts { get; } = [new("owner", Roles.Owner)];
        public List<(string, string)> Created { get; } = [];
        public List<(string, string)> Removed { get; } = [];

        public Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<UserAccount>>(Accounts.OrderBy(a => a.UserName).ToList());

        public Task<CreatedAccount> CreateAsync(string userName, string role, string? password, CancellationToken ct = default)
        {
            Created.Add((userName, role));
            var account = new UserAccount(userName, role);
            Accounts.Add(account);
            return Task.FromResult(new CreatedAccount(account, string.IsNullOrEmpty(password) ? "Gen3rated-pass" : null));
        }

        public Task DeleteAsync(string userName, string actingUser, CancellationToken ct = default)
        {
            Removed.Add((userName, actingUser));
            Accounts.RemoveAll(a => a.UserName == userName);
            return Task.CompletedTask;
        }
    }
}
