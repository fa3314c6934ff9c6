using System.Net;
using System.Text;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Api;

/// <summary>
/// <c>videoId</c> on <c>POST /api/predict</c> must name a stored video (issue 22: any string was taken). The import
/// app starts with an empty table, so the test stores the one video it names.
/// </summary>
[Collection(ImportAppCollection.Name)]
public sealed class PredictVideoIdTests(ImportApp fixture)
{
    private const string StoredId = "7600000000000022001";

    private HttpClient Script()
    {
        var http = new HttpClient { BaseAddress = fixture.App.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", fixture.App.ApiKey);
        return http;
    }

    private static StringContent Json(string videoId) =>
        new($$"""{"views": 1000, "likes": 50, "shares": 5, "comments": 3, "videoId": "{{videoId}}"}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task AStoredVideoIdIsTakenAndAnUnknownOneIs404()
    {
        using var http = Script();
        var import = await http.PostAsync("/api/import", new StringContent($"video_id,views,likes,shares,comments\n{StoredId},1000,50,5,3\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        var stored = await http.PostAsync("/api/predict", Json(StoredId));
        var unknown = await http.PostAsync("/api/predict", Json("7600000000000022002"));

        // No model is trained in this app: a known video gets as far as the model (409: none active).
        Assert.Equal(HttpStatusCode.Conflict, stored.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
