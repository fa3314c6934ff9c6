using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Account;

internal static class AccountEndpoints
{
    /// <summary>Sign-out is a form POST (antiforgery-checked), so a link cannot sign anyone out.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (SignInManager<ApplicationUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        });
}
