using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ViralityDashboard.Data.Embedded;

namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own, without demo data, whose registry holds two seed15 and two pre-posting versions, none
/// active, written directly (the flow under test is the registry's, not training): the shared app's tests count its
/// versions and audit rows. The pre-posting versions are the newest, so they head the registry table, the order in
/// which the page once took a pre-posting version for the one to roll back.
/// </summary>
public sealed class RollbackApp : IAsyncLifetime
{
    public const string Seed1 = "eng-rollback-s1", Seed2 = "eng-rollback-s2", Pre1 = "eng-rollback-p1", Pre2 = "eng-rollback-p2";

    public RunningApp App { get; } = new(new Dictionary<string, string> { ["Virality__SeedDemoData"] = "false" });

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await using var server = await EmbeddedPostgres.StartAsync(App.DataDirectory, NullLogger.Instance);
        await using var conn = new NpgsqlConnection(server.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO model_versions (version_tag, kind, status, is_active, is_shadow, trained_at, training_video_count, feature_set, tier_scheme, trainer,
                thresholds, feature_weights, metrics, normalization_config, artifact)
            SELECT tag, 'engagement', 'inactive', false, false, now() - make_interval(hours => age), 100, features, 'views', 'lbfgs',
                '{"{}"}', '{"{}"}', '{"{}"}', '{"{}"}', '\x00'::bytea
            FROM (VALUES ('{Seed1}', 'seed15', 4), ('{Seed2}', 'seed15', 3), ('{Pre1}', 'pre-posting', 2), ('{Pre2}', 'pre-posting', 1)) AS v(tag, features, age)
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => App.DisposeAsync();
}
