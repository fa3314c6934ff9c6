using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own with an active model of the <c>early</c> set (which reads the video's age): as the newest
/// active version it would answer the shared app's default predictions. Its stored rows report says it was trained on
/// snapshots <see cref="MinAgeHours"/>–<see cref="MaxAgeHours"/> h old, as a point-in-time run stores them; the
/// scheduled passes are off so that nothing loads the model before the report is written.
/// </summary>
public sealed class EarlyModelApp : IAsyncLifetime
{
    public const double MinAgeHours = 2, MedianAgeHours = 20, MaxAgeHours = 96;

    public RunningApp App { get; } = new(new Dictionary<string, string> { ["Virality__Monitoring__SchedulesEnabled"] = "false" });

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        // The linear trainer: quick, and the flow is under test, not the model.
        await App.RunCliAsync(["train", "--features", "early", "--trainer", "lbfgs", "--json"],
            new Dictionary<string, string> { ["Virality__Training__GateMinimumAccuracy"] = "0" });
        await using var server = await EmbeddedPostgres.StartAsync(App.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("UPDATE model_versions SET metrics = jsonb_set(metrics, '{rows}', $1::jsonb) WHERE feature_set = 'early'", conn);
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = $$"""{"mode": "point-in-time", "videos": 240, "rows": 240, "skippedNotMatured": 12, "skippedNoEarlierSnapshot": 3, "minAgeHours": {{MinAgeHours}}, "medianAgeHours": {{MedianAgeHours}}, "maxAgeHours": {{MaxAgeHours}}}""",
        });
        if (await cmd.ExecuteNonQueryAsync() != 1)
            throw new InvalidOperationException("train --features early stored no early version.");
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EarlyModelAppCollection : ICollectionFixture<EarlyModelApp>
{
    public const string Name = "running app with an early model";
}
