using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary>
/// A running app of its own, without demo data, whose registry the tests write directly (an active, an inactive and a
/// rejected version): the shared app's tests count its versions and audit rows, which shadowing would change.
/// </summary>
public sealed class ShadowApp : IAsyncLifetime
{
    public const string Active = "eng-shadow-active", Inactive = "eng-shadow-inactive", Rejected = "eng-shadow-rejected", Cli = "eng-shadow-cli";

    public RunningApp App { get; } = new(new Dictionary<string, string> { ["Virality__SeedDemoData"] = "false" });

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await ExecuteAsync($"""
            INSERT INTO model_versions (version_tag, kind, status, is_active, is_shadow, trained_at, training_video_count, feature_set, tier_scheme, trainer,
                thresholds, feature_weights, metrics, normalization_config, artifact)
            SELECT tag, 'engagement', status, status = 'active', false, now(), 100, 'seed15', 'views', 'lbfgs', '{"{}"}', '{"{}"}', '{"{}"}', '{"{}"}', '\x00'::bytea
            FROM (VALUES ('{Active}', 'active'), ('{Inactive}', 'inactive'), ('{Rejected}', 'rejected'), ('{Cli}', 'inactive')) AS v(tag, status)
            """);
    }

    public Task DisposeAsync() => App.DisposeAsync();

    /// <summary>The app's own cluster, joined (not restarted) through its data directory.</summary>
    public Task<long> ScalarAsync(string sql) =>
        WithCommandAsync(sql, async cmd => Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

    private Task ExecuteAsync(string sql) => WithCommandAsync(sql, async cmd => (long)await cmd.ExecuteNonQueryAsync());

    private async Task<long> WithCommandAsync(string sql, Func<NpgsqlCommand, Task<long>> run)
    {
        await using var server = await EmbeddedPostgres.StartAsync(App.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await run(cmd);
    }
}

/// <summary><c>POST</c> and <c>DELETE /api/models/{tag}/shadow</c>, and the <c>models shadow</c> verb.</summary>
public sealed class ShadowApiTests(ShadowApp fixture) : IClassFixture<ShadowApp>
{
    private RunningApp App => fixture.App;

    private HttpClient Client(bool withKey)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        if (withKey)
            http.DefaultRequestHeaders.Add("X-Api-Key", App.ApiKey);
        return http;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
    }

    private Task<long> IsShadow(string tag) => fixture.ScalarAsync($"SELECT is_shadow::int FROM model_versions WHERE version_tag = '{tag}'");

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task RefusesAnonymousCallsWith401(string method)
    {
        using var http = Client(withKey: false);
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/models/{ShadowApp.Inactive}/shadow"));
        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task AnUnknownTagIsA404Problem(string method)
    {
        using var http = Client(withKey: true);
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/models/eng-no-such-version/shadow"));
        Assert.Contains("'eng-no-such-version'", await ProblemAsync(response, HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData(ShadowApp.Active, "active")]
    [InlineData(ShadowApp.Rejected, "rejected")]
    public async Task AnActiveOrRejectedVersionIsA409ProblemSayingWhyAndStaysOutOfShadow(string tag, string why)
    {
        using var http = Client(withKey: true);
        var response = await http.PostAsJsonAsync($"/api/models/{tag}/shadow", new { reason = "try" });
        Assert.Contains(why, await ProblemAsync(response, HttpStatusCode.Conflict));
        Assert.Equal(0, await IsShadow(tag));
    }

    [Fact]
    public async Task TheOwnerShadowsAndUnshadowsAVersionWithTheApiKeyAndEachChangeIsAudited()
    {
        using var http = Client(withKey: true);

        var shadowed = await http.PostAsJsonAsync($"/api/models/{ShadowApp.Inactive}/shadow", new { reason = "compare on new videos" });
        Assert.Equal(HttpStatusCode.OK, shadowed.StatusCode);
        var change = await shadowed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("shadow", ShadowApp.Inactive, "compare on new videos"),
            (change.GetProperty("action").GetString(), change.GetProperty("toTag").GetString(), change.GetProperty("reason").GetString()));
        Assert.Equal(1, await IsShadow(ShadowApp.Inactive));
        Assert.Contains("already in shadow", await ProblemAsync(await http.PostAsync($"/api/models/{ShadowApp.Inactive}/shadow", null), HttpStatusCode.Conflict));

        var unshadowed = await http.DeleteAsync($"/api/models/{ShadowApp.Inactive}/shadow");
        Assert.Equal(HttpStatusCode.OK, unshadowed.StatusCode);
        Assert.Equal("unshadow", (await unshadowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("action").GetString());
        Assert.Equal(0, await IsShadow(ShadowApp.Inactive));
        Assert.Contains("not in shadow", await ProblemAsync(await http.DeleteAsync($"/api/models/{ShadowApp.Inactive}/shadow"), HttpStatusCode.Conflict));
        Assert.Equal(2, await fixture.ScalarAsync($"""
            SELECT count(*) FROM model_activations a JOIN model_versions v ON v.id = a.to_version_id
            WHERE v.version_tag = '{ShadowApp.Inactive}' AND a.action IN ('shadow', 'unshadow') AND a.from_version_id IS NULL
            """));
    }

    [Fact]
    public async Task ACookieCallFromAnotherSiteIsRefusedAndAViewerIsForbidden()
    {
        using var owner = Client(withKey: false);
        await App.SignInAsync(owner, "owner", App.OwnerPassword);
        var crossSite = new HttpRequestMessage(HttpMethod.Post, $"/api/models/{ShadowApp.Inactive}/shadow");
        crossSite.Headers.Add("Origin", "http://evil.example");
        await ProblemAsync(await owner.SendAsync(crossSite), HttpStatusCode.Forbidden);

        const string password = "Viewer-Pass-2026";
        var viewerName = $"viewer-{Guid.NewGuid():N}"[..16];
        await App.RunCliAsync(["users", "add", viewerName, "--role", "viewer", "--password", password]);
        using var viewer = Client(withKey: false);
        await App.SignInAsync(viewer, viewerName, password);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/models/{ShadowApp.Inactive}/shadow", null)).StatusCode);
        Assert.Equal(0, await IsShadow(ShadowApp.Inactive));
    }

    [Fact]
    public async Task TheModelsVerbShadowsAnInactiveVersionAndRefusesARejectedOne()
    {
        var (refused, _, errors) = await App.RunCliForExitCodeAsync(["models", "shadow", ShadowApp.Rejected]);
        Assert.Equal(1, refused);
        Assert.Contains("rejected by the gate", errors);

        var output = await App.RunCliAsync(["models", "shadow", ShadowApp.Cli, "--reason", "from the shell"]);
        Assert.Contains($"shadow: {ShadowApp.Cli}", output);
        Assert.Equal(1, await IsShadow(ShadowApp.Cli));
        using (var list = JsonDocument.Parse((await App.RunCliAsync(["models", "list", "--json"])).Trim().Split('\n')[^1]))
            Assert.Contains(ShadowApp.Cli, list.RootElement.GetProperty("shadows").EnumerateArray().Select(t => t.GetString()));
        await App.RunCliAsync(["models", "unshadow", ShadowApp.Cli]);
        Assert.Equal(0, await IsShadow(ShadowApp.Cli));
    }
}
