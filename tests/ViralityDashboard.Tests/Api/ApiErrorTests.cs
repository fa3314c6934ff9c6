using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary>Whatever goes wrong under /api, the answer is problem-details JSON, even to a client that prefers HTML.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class ApiErrorTests(RunningApp app)
{
    private HttpClient Script()
    {
        var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        // As curl does for large bodies: the server can refuse before the body is sent, and the answer is not lost
        // to a connection closed while the client still writes.
        http.DefaultRequestHeaders.ExpectContinue = true;
        return http;
    }

    private static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ATooLargeBodyIs413()
    {
        using var http = Script();
        var content = new ByteArrayContent(new byte[50 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await http.PostAsync("/api/predict", content);

        await AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, response);
    }

    [Fact]
    public async Task ATooLargeBodyWithoutALengthIs413()
    {
        using var http = Script();
        // Valid JSON that keeps the parser reading just past the default 4 MiB limit, where the server refuses.
        var json = System.Text.Encoding.UTF8.GetBytes($"{{\"description\":\"{new string('a', 4 * 1024 * 1024 + 16 * 1024)}\"}}");
        var content = new StreamContent(new MemoryStream(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await http.SendAsync(request);

        await AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, response);
    }

    [Fact]
    public async Task AnUnknownApiPathIsAProblem()
    {
        using var http = Script();

        await AssertProblemAsync(HttpStatusCode.NotFound, await http.GetAsync("/api/no-such-thing"));
    }

    [Fact]
    public async Task AnonymousCallsGetAProblemToo()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        await AssertProblemAsync(HttpStatusCode.Unauthorized, await http.GetAsync("/api/models"));
    }
}
