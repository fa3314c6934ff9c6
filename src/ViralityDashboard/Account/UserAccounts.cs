using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Account;

/// <summary>A sign-in account and its role, as the Users page and the <c>users</c> verb show it.</summary>
public sealed record UserAccount(string UserName, string Role);

/// <summary>The account was created; <paramref name="GeneratedPassword"/> is set when none was given (shown once).</summary>
public sealed record CreatedAccount(UserAccount Account, string? GeneratedPassword);

/// <summary>An account change that breaks a rule (bad name, weak password, the last owner); the message says which.</summary>
public sealed class UserAccountException(string message) : Exception(message);

/// <summary>Account administration behind the Users page and the <c>users</c> verb.</summary>
public interface IUserAccounts
{
    Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken ct = default);
    Task<CreatedAccount> CreateAsync(string userName, string role, string? password, CancellationToken ct = default);
    Task DeleteAsync(string userName, string actingUser, CancellationToken ct = default);
}

/// <summary>
/// Owner-side account administration: list, create (typically Viewers) and remove sign-in accounts.
/// Each operation takes its own scope, so the Identity stores' DbContext never outlives it in a
/// long-lived circuit. Callers check the role first (pages through <see cref="OwnerGuard"/>).
/// </summary>
public sealed class UserAccounts(IServiceScopeFactory scopes) : IUserAccounts
{
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var owners = (await users.GetUsersInRoleAsync(Roles.Owner)).Select(u => u.Id).ToHashSet();
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        return all.Select(u => new UserAccount(u.UserName ?? "", owners.Contains(u.Id) ? Roles.Owner : Roles.Viewer)).ToList();
    }

    /// <summary>Creates an account with this role; generates a password when <paramref name="password"/> is empty.</summary>
    public async Task<CreatedAccount> CreateAsync(string userName, string role, string? password, CancellationToken ct = default)
    {
        userName = userName.Trim();
        if (userName.Length is 0 or > 64)
            throw new UserAccountException("User name: give 1 to 64 characters.");
        var canonicalRole = Roles.All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase))
            ?? throw new UserAccountException($"Role '{role}': use {string.Join(" or ", Roles.All)}.");
        var generated = string.IsNullOrEmpty(password);
        password = generated ? OwnerAccount.GeneratePassword() : password;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByNameAsync(userName) is not null)
            throw new UserAccountException($"User name '{userName}' is taken.");
        var user = new ApplicationUser { UserName = userName, EmailConfirmed = true };
        Check(await users.CreateAsync(user, password!));
        var added = await users.AddToRoleAsync(user, canonicalRole);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user); // no account without a role
            Check(added);
        }
        return new CreatedAccount(new UserAccount(userName, canonicalRole), generated ? password : null);
    }

    /// <summary>Removes an account; refuses to remove the signed-in user or the last owner.</summary>
    public async Task DeleteAsync(string userName, string actingUser, CancellationToken ct = default)
    {
        if (string.Equals(userName, actingUser, StringComparison.OrdinalIgnoreCase))
            throw new UserAccountException("You cannot remove your own account.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new UserAccountException($"No account '{userName}'.");
        if (await users.IsInRoleAsync(user, Roles.Owner) && (await users.GetUsersInRoleAsync(Roles.Owner)).Count == 1)
            throw new UserAccountException("The last owner account cannot be removed.");
        // Its sessions end with the row: every instance's recheck (Virality:Accounts:SessionRecheckSeconds) finds no user.
        Check(await users.DeleteAsync(user));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new UserAccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
