using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Security;

[Collection(RunningAppCollection.Name)]
public sealed class SecurityHeadersTests(RunningApp app)
{
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/api/models")]
    [InlineData("/health")]
    [InlineData("/favicon.svg")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var response = await http.GetAsync(path);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
    }
}
