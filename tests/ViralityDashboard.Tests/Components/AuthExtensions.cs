using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using ViralityDashboard.Account;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Tests.Components;

/// <summary>bUnit's fake authentication and authorization, with the real <see cref="OwnerGuard"/> on top.</summary>
public static class AuthExtensions
{
    public static BunitAuthorizationContext SignInAsOwner(this BunitContext ctx)
    {
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("owner");
        auth.SetRoles(Roles.Owner);
        auth.SetPolicies(Policies.Owner);
        ctx.Services.AddScoped<OwnerGuard>();
        return auth;
    }

    public static BunitAuthorizationContext SignInAsViewer(this BunitContext ctx)
    {
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("viewer");
        auth.SetRoles("Viewer");
        ctx.Services.AddScoped<OwnerGuard>();
        return auth;
    }
}
