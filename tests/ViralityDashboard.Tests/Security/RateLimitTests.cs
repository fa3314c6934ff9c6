using System.Net;
using System.Net.Sockets;
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
    private const int SignInLimit = 3;
    private static int s_nextClient = 1;

    private RunningApp App => throttled.App;

    /// <summary>
    /// A browser of its own at its own loopback address (127.0.0.2, .3, …): the limits are per client address, so each
    /// test starts with a full budget whatever order the tests run in.
    /// </summary>
    private HttpClient NewClient()
    {
        var address = new IPAddress([127, 0, 0, (byte)(1 + Interlocked.Increment(ref s_nextClient))]);
        var handler = new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = App.BaseAddress };
    }

    [Fact]
    public async Task SignInAttemptsFromOneClientAreThrottledBeforeTheOwnerIsLockedOut()
    {
        using var http = NewClient();
        for (var i = 0; i < SignInLimit; i++)
            Assert.Equal(HttpStatusCode.OK, (await App.SignInAsync(http, "owner", "wrong-password")).StatusCode);

        var throttledAttempt = await App.SignInAsync(http, "owner", App.OwnerPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAttempt.StatusCode);
        Assert.True(throttledAttempt.Headers.RetryAfter is not null, "a Retry-After header says when to try again");
    }

    /// <summary>Every spelling the router takes to the sign-in form (issue 22: the trailing slash was never counted).</summary>
    [Theory]
    [InlineData("/account/login")]
    [InlineData("/Account/Login/")]
    [InlineData("/ACCOUNT/LOGIN")]
    [InlineData("/account/login/.")]
    [InlineData("/account/./login")]
    [InlineData("/account/../account/login/")]
    [InlineData("/Account/Login?ReturnUrl=%2F")]
    [InlineData("/Account/Login/?ReturnUrl=%2Fmodels")]
    public async Task EverySpellingOfTheSignInFormIsThrottled(string path)
    {
        using var http = NewClient();
        for (var i = 0; i < SignInLimit; i++)
        {
            var attempt = await App.SignInAsync(http, "owner", "wrong-password", path);
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
            Assert.Contains("Wrong user name or password", await attempt.Content.ReadAsStringAsync());
        }

        var throttledAttempt = await App.SignInAsync(http, "owner", App.OwnerPassword, path);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAttempt.StatusCode);
    }

    [Fact]
    public async Task MixedSpellingsShareOneBudget()
    {
        using var http = NewClient();
        foreach (var path in new[] { "/account/login", "/Account/Login/", "/Account/Login?ReturnUrl=%2F" })
            Assert.Equal(HttpStatusCode.OK, (await App.SignInAsync(http, "owner", "wrong-password", path)).StatusCode);

        var throttledAttempt = await App.SignInAsync(http, "owner", App.OwnerPassword, "/ACCOUNT/LOGIN/");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAttempt.StatusCode);
    }

    /// <summary>Spellings the router does not take to the form: they never sign anyone in, limit or not.</summary>
    [Theory]
    [InlineData("//account/login")]
    [InlineData("/account//login")]
    [InlineData("/account/login;x")]
    [InlineData("/account;x/login")]
    [InlineData("/account/login%2F")]
    public async Task SpellingsThatMissTheFormNeverSignIn(string path)
    {
        using var http = NewClient();

        var attempt = await App.SignInAsync(http, "owner", App.OwnerPassword, path);

        // A sign-in answers 302 with the cookie; the form itself 200.
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
    }

    [Fact]
    public async Task LoadingTheFormDoesNotSpendTheBudget()
    {
        using var http = NewClient();
        for (var i = 0; i < SignInLimit * 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/account/login")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await App.SignInAsync(http, "owner", "wrong-password")).StatusCode);
    }

    [Fact]
    public async Task ApiCallsFromOneClientAreThrottledWithAProblem()
    {
        using var http = NewClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", App.ApiKey);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/models")).StatusCode);

        var response = await http.GetAsync("/api/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
