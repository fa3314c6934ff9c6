using System.Net;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Security;

/// <summary>
/// Wrong passwords never lock an account (issue 10 §9): anyone who knows a user name could otherwise lock its owner
/// out. Guessing is slowed per client by the sign-in rate limit instead (<see cref="RateLimitTests"/>).
/// </summary>
[Collection(RunningAppCollection.Name)]
public sealed class AccountLockoutTests(RunningApp app)
{
    [Fact]
    public async Task ManyWrongPasswordsDoNotLockTheAccount()
    {
        const string password = "Lockout-Pass-2026";
        var user = $"target-{Guid.NewGuid():N}"[..16];
        await app.RunCliAsync(["users", "add", user, "--role", "owner", "--password", password]);
        using var attacker = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        for (var i = 0; i < 15; i++)
        {
            var wrong = await app.SignInAsync(attacker, user, "not-the-password");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.DoesNotContain("locked", await wrong.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        using var owner = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var signIn = await app.SignInAsync(owner, user, password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.AbsolutePath);
    }
}
