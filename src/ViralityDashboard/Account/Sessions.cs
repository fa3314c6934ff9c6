using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Account;

/// <summary>Settings under <c>Virality:Accounts</c>: how sessions follow changes to their accounts.</summary>
public sealed class AccountOptions
{
    public const string Section = "Virality:Accounts";

    /// <summary>
    /// How often, in seconds, a signed-in session is checked against its account (still there, same security stamp):
    /// a removed account's sessions end within this time on every instance. 0 checks every request. At most 60.
    /// </summary>
    [Range(0, 60)]
    public int SessionRecheckSeconds { get; set; } = 60;
}

/// <summary>
/// Sessions that belong to the database: its key ring, its application name, and account checks every
/// <see cref="AccountOptions.SessionRecheckSeconds"/>, for cookies and for open Blazor circuits alike.
/// </summary>
internal static class Sessions
{
    public static void AddDatabaseSessions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The key ring that encrypts cookies and antiforgery tokens lives in the database, not in ~/.aspnet: every
        // instance of the database reads the same keys, a container's restart keeps them, and another database's
        // instances cannot read them (they have their own ring). Anyone who can read the table can forge a sign-in,
        // but that reader already has every row of the database.
        builder.Services.AddDataProtection().PersistKeysToDbContext<ViralityDbContext>();
        // The application name isolates too: two databases never share it, so a cookie that a key ring copied into
        // another database (a restored backup) still cannot be read there. SetApplicationName needs the name before
        // the database is known, so the option is set where the provider is first built, after the migrations.
        builder.Services.AddOptions<DataProtectionOptions>().Configure<DatabaseInstallation>((o, installation) =>
            o.ApplicationDiscriminator = $"ViralityDashboard/{installation.Id:N}");
        builder.Services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<AccountOptions>>((o, accounts) =>
            o.ValidationInterval = TimeSpan.FromSeconds(accounts.Value.SessionRecheckSeconds));
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
    }
}

/// <summary>
/// An open page (a Blazor circuit) never sends the cookie again, so the cookie's checks never reach it: this checks its
/// user against the database as often as cookies are checked, and signs the page out when the account is gone or its
/// security stamp changed. <see cref="OwnerGuard"/> reads this state, so a removed owner's open page loses its powers.
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<AccountOptions> accounts)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Every request for cookies (0) would be a busy loop for a circuit: once a second at most.
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, accounts.Value.SessionRecheckSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A scope of its own, so the user manager reads the database now rather than a context of the circuit's.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = authenticationState.User;
        if (await users.GetUserAsync(principal) is not { } user)
            return false;
        if (!users.SupportsUserSecurityStamp)
            return true;
        return principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
