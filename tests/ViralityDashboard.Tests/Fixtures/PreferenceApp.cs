using System.Net.Http.Json;
using System.Text.Json;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A second running app for the preference-model tests: an active preference version shows in the Models
/// registry and the Rate page, which the shared app's engagement flows do not expect.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PreferenceAppCollection : ICollectionFixture<RunningApp>
{
    public const string Name = "running app with a preference model";

    private static readonly SemaphoreSlim Training = new(1, 1);

    /// <summary>Trains the preference model on the demo ratings (300 rated analyses) with the CLI, once per app.</summary>
    public static async Task<string> EnsureTrainedAsync(RunningApp app)
    {
        await Training.WaitAsync();
        try
        {
            if (await ActiveTagAsync(app) is { } tag)
                return tag;
            await app.RunCliAsync(["train", "--kind", "preference"]);
            return await ActiveTagAsync(app) ?? throw new InvalidOperationException("train --kind preference activated no version.");
        }
        finally
        {
            Training.Release();
        }
    }

    private static async Task<string?> ActiveTagAsync(RunningApp app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);
        var models = await http.GetFromJsonAsync<JsonElement>("/api/models");
        return models.EnumerateArray()
            .Where(m => m.GetProperty("kind").GetString() == "preference" && m.GetProperty("isActive").GetBoolean())
            .Select(m => m.GetProperty("tag").GetString())
            .FirstOrDefault();
    }
}
