using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Embedded;
using ViralityDashboard.Data.Queries;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own, without demo data, whose database holds two engagement versions and their realized
/// weeks, written straight into model_versions and realized_metrics: the shared app's registry must stay as its
/// flows expect it, and the scoring and maturing passes are not what these tests check.
/// </summary>
public sealed class MonitoringApp : IAsyncLifetime
{
    public const string Active = "eng-monitor-active", Older = "eng-monitor-older";
    public static readonly DateOnly FirstWeek = new(2026, 10, 5);

    /// <summary>API predictions in the log (not matured, no video): what <c>/api/monitoring</c> reports as its size.</summary>
    public const int LoggedPredictions = 3;

    public RunningApp App { get; } = new(new Dictionary<string, string> { ["Virality__SeedDemoData"] = "false" });

    /// <summary>The test accuracy stored with <see cref="Active"/>, from its test confusion.</summary>
    public static double ActiveTestAccuracy => TestMetrics.Accuracy;

    private static readonly ClassificationMetrics TestMetrics = Metrics.FromConfusion(Confusion(7, 3));

    /// <summary>Weeks of each version: its tag, how many right and one-off per tier, in week order from <see cref="FirstWeek"/>.</summary>
    public static readonly IReadOnlyList<(string Tag, int Right, int Wrong)[]> Weeks =
    [
        [(Active, 40, 10), (Older, 30, 10)],
        [(Active, 35, 15), (Older, 3, 2)],
        [(Active, 20, 20)],
    ];

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await using var server = await EmbeddedPostgres.StartAsync(App.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        var ids = new Dictionary<string, long>
        {
            [Older] = await AddVersionAsync(conn, Older, active: false, trainedAt: new DateTimeOffset(2026, 9, 28, 3, 0, 0, TimeSpan.Zero)),
            [Active] = await AddVersionAsync(conn, Active, active: true, trainedAt: new DateTimeOffset(2026, 10, 1, 3, 0, 0, TimeSpan.Zero)),
        };
        for (var i = 0; i < Weeks.Count; i++)
            foreach (var (tag, right, wrong) in Weeks[i])
            {
                var confusion = Confusion(right, wrong);
                var m = Metrics.FromConfusion(confusion);
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO realized_metrics (model_version_id, week, matured, accuracy, macro_f1, kappa, within_one, confusion, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
                    """, conn);
                foreach (var value in new object[] { ids[tag], FirstWeek.AddDays(7 * i), m.Count, m.Accuracy, m.MacroF1, m.QuadraticWeightedKappa, m.WithinOneTierAccuracy, confusion.SelectMany(r => r).ToArray() })
                    cmd.Parameters.Add(new NpgsqlParameter { Value = value });
                await cmd.ExecuteNonQueryAsync();
            }
        await using var log = new NpgsqlCommand("""
            INSERT INTO prediction_log (model_version_id, kind, source, inputs_hash, score, served_at, observed_at)
            SELECT $1, 'engagement', 'api', repeat('0', 64), 50, now(), now() FROM generate_series(1, $2)
            """, conn);
        log.Parameters.Add(new NpgsqlParameter { Value = ids[Active] });
        log.Parameters.Add(new NpgsqlParameter { Value = LoggedPredictions });
        await log.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => App.DisposeAsync();

    public static int[][] Confusion(int right, int wrong) =>
        [.. Enumerable.Range(0, 5).Select(a => Enumerable.Range(0, 5).Select(p => p == a ? right : p == (a + 1) % 5 ? wrong : 0).ToArray())];

    private static async Task<long> AddVersionAsync(NpgsqlConnection conn, string tag, bool active, DateTimeOffset trainedAt)
    {
        var metrics = JsonSerializer.Serialize(new EngagementVersionMetrics(TestMetrics, 0.8, null, null, null, null), StoredJson.Options);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO model_versions (version_tag, kind, status, is_active, is_shadow, trained_at, training_video_count, feature_set, tier_scheme, trainer,
                                        thresholds, feature_weights, metrics, normalization_config, artifact)
            VALUES ($1, 'engagement', $2, $3, false, $4, 1000, 'seed15', 'views', 'lbfgs', '{}', '{}', $5::jsonb, '{}', '\x')
            RETURNING id
            """, conn);
        foreach (var value in new object[] { tag, active ? "active" : "inactive", active, trainedAt, metrics })
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}

[CollectionDefinition(Name)]
public sealed class MonitoringAppCollection : ICollectionFixture<MonitoringApp>
{
    public const string Name = "running app with realized weeks";
}
