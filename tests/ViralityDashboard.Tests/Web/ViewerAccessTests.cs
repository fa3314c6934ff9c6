using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Web;

/// <summary>A Viewer created with the <c>users</c> verb reads everything and is refused every change by the server.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class ViewerAccessTests(RunningApp app) : IAsyncLifetime
{
    private const string Password = "Viewer-Pass-2026";
    private readonly string _viewer = $"viewer-{Guid.NewGuid():N}"[..16];
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var output = await app.RunCliAsync(["users", "add", _viewer, "--role", "viewer", "--password", Password]);
        Assert.Contains($"created Viewer account '{_viewer}'", output);
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var signIn = await app.SignInAsync(_http, _viewer, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.AbsolutePath);
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/rate")]
    [InlineData("/training")]
    [InlineData("/models")]
    [InlineData("/calibration")]
    [InlineData("/predict")]
    [InlineData("/data")]
    public async Task ReadsEveryPage(string path)
    {
        var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"{_viewer} (viewer)", html);
        Assert.DoesNotContain("Your role does not allow this page", html);
    }

    [Fact]
    public async Task IsKeptOffTheUsersPage()
    {
        var response = await _http.GetAsync("/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/denied", response.Headers.Location?.AbsolutePath);
        Assert.Contains("Your role does not allow that page", await _http.GetStringAsync("/account/denied"));
    }

    [Fact]
    public async Task ReadsThroughTheApi()
    {
        var response = await _http.GetAsync("/api/models");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
    }

    [Theory]
    [InlineData("/api/retrain")]
    [InlineData("/api/models/rollback")]
    [InlineData("/api/models/eng-anything/activate")]
    public async Task IsRefusedEveryMutatingApiCallWith403(string path)
    {
        var before = await _http.GetStringAsync("/api/models");

        var response = await _http.PostAsJsonAsync(path, new { reason = "viewer tries" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await _http.GetStringAsync("/api/models"));
    }
}
