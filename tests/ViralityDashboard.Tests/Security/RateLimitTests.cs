using System.Net;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Security;

/// <summary>An app of its own with low limits, so throttling this client disturbs no other test.</summary>
public sealed class ThrottledApp : IAsyncLifetime
{
    public RunningApp App { get; } = new(new Dictionary<string, string>
    {
        ["Virality__RateLimits__SignIn__PermitLimit"] = "3",
        ["Virality__RateLimits__Api__PermitLimit"] = "5",
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

[Collection(RunningAppCollection.Name)]
public sealed class RateLimitTests(ThrottledApp throttled) : IClassFixture<ThrottledApp>
{
    private RunningApp App => throttled.App;

    [Fact]
    public async Task SignInAttemptsFromOneClientAreThrottledBeforeTheOwnerIsLockedOut()
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await App.SignInAsync(http, "owner", "wrong-password")).StatusCode);

        var throttledAttempt = await App.SignInAsync(http, "owner", App.OwnerPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAttempt.StatusCode);
        Assert.True(throttledAttempt.Headers.RetryAfter is not null, "a Retry-After header says when to try again");
    }

    [Fact]
    public async Task ApiCallsFromOneClientAreThrottledWithAProblem()
    {
        using var http = new HttpClient { BaseAddress = App.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", App.ApiKey);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/models")).StatusCode);

        var response = await http.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
