using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Registry;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

public sealed class ModelCacheTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AfterAnActivationOneCallReadsTheNewVersionWhileTheOthersKeepTheVersionTheyHad()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var training = db.Get<EngagementTrainingService>();
        var first = await training.RunAsync(new TrainingRequest(), RunTrigger.Manual);
        var second = await training.RunAsync(new TrainingRequest(Trainer: TrainerKind.LightGbm), RunTrigger.Manual);
        var cache = db.Get<ActiveModelCache>();
        Assert.Equal(second.VersionTag, (await cache.GetActiveAsync())?.VersionTag);
        await db.Get<ModelRegistry>().ActivateAsync(first.VersionTag!, "test", "cache test");

        await using var registry = await RegistryLock.TakeAsync(db.ConnectionString);
        var recheck = cache.GetActiveAsync().AsTask();
        // Requests arriving meanwhile (16 API clients at the end of a retrain) must not each queue for the lookup.
        var meanwhile = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => cache.GetActiveAsync().AsTask()))
            .WaitAsync(TimeSpan.FromSeconds(20));
        var waitedForTheLock = !recheck.IsCompleted;
        await registry.ReleaseAsync();

        Assert.True(waitedForTheLock);
        Assert.All(meanwhile, m => Assert.Equal(second.VersionTag, m?.VersionTag));
        Assert.Equal(first.VersionTag, (await recheck)?.VersionTag);
        Assert.Equal(first.VersionTag, (await cache.GetActiveAsync())?.VersionTag);
    }

    [Fact]
    public async Task AfterTheFirstActivationCallsDuringTheLookupWaitForItInsteadOfAnsweringThatThereIsNoModel()
    {
        await using var db = await postgres.CreateDatabaseAsync(TrainingFixtures.Settings());
        await TrainingFixtures.SeedAsync(db, 800);
        var cache = db.Get<ActiveModelCache>();
        Assert.Null(await cache.GetActiveAsync()); // a prediction before the first model: 409, and the cache knows "none"
        var first = await db.Get<EngagementTrainingService>().RunAsync(new TrainingRequest(), RunTrigger.Manual);

        await using var registry = await RegistryLock.TakeAsync(db.ConnectionString);
        var recheck = cache.GetActiveAsync().AsTask();
        // With no model to keep predicting with, the requests meanwhile (bench-serve's warm-up once got three 409s
        // among 5,748 here) have nothing to answer but "no active model": they must wait for the lookup instead.
        var meanwhile = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => cache.GetActiveAsync().AsTask()));
        await Task.Delay(500);
        var waitedForTheLock = !recheck.IsCompleted && !meanwhile.IsCompleted;
        await registry.ReleaseAsync();

        Assert.True(waitedForTheLock);
        Assert.Equal(first.VersionTag, (await recheck)?.VersionTag);
        Assert.All(await meanwhile.WaitAsync(TimeSpan.FromSeconds(20)), m => Assert.Equal(first.VersionTag, m?.VersionTag));
    }

    /// <summary>Another session holding the registry's table, so the cache's lookup of the active version waits for it.</summary>
    private sealed class RegistryLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public static async Task<RegistryLock> TakeAsync(string connectionString)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using (var hold = new NpgsqlCommand("LOCK TABLE model_versions IN ACCESS EXCLUSIVE MODE", connection, transaction))
                await hold.ExecuteNonQueryAsync();
            return new RegistryLock(connection, transaction);
        }

        public Task ReleaseAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
