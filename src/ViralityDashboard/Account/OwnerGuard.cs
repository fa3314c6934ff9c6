using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ViralityDashboard.Account;

/// <summary>Thrown when a signed-in viewer (or nobody) attempts an owner's action.</summary>
public sealed class NotOwnerException(string action) : Exception($"Only the owner may {action}.");

/// <summary>
/// The server-side check behind every mutating action taken from a page: hiding a button is a courtesy,
/// this is the rule. Pages call it before handing the action to a service.
/// </summary>
public sealed class OwnerGuard(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<bool> IsOwnerAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return (await authorization.AuthorizeAsync(state.User, Policies.Owner)).Succeeded;
    }

    /// <summary>Returns the owner's user name, or throws <see cref="NotOwnerException"/> naming the action.</summary>
    public async Task<string> EnsureOwnerAsync(string action)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (!(await authorization.AuthorizeAsync(state.User, Policies.Owner)).Succeeded)
            throw new NotOwnerException(action);
        return state.User.Identity?.Name ?? "owner";
    }
}
