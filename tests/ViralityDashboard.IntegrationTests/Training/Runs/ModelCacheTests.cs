using Npgsql;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training;
using ViralityDashboard.Training.Engagement;
using ViralityDashboard.Training.Registry;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

[Collection(PostgresCollection.Name)]
public sealed class ModelCacheTests(PostgresFixture postgres)
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

        // Another session holds the registry's table, so the lookup of the active version waits for it.
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE model_versions IN ACCESS EXCLUSIVE MODE", holder, tx))
            await hold.ExecuteNonQueryAsync();
        var recheck = cache.GetActiveAsync().AsTask();
        // Requests arriving meanwhile (16 API clients at the end of a retrain) must not each queue for the lookup.
        var meanwhile = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => cache.GetActiveAsync().AsTask()))
            .WaitAsync(TimeSpan.FromSeconds(20));
        var waitedForTheLock = !recheck.IsCompleted;
        await tx.RollbackAsync();

        Assert.True(waitedForTheLock);
        Assert.All(meanwhile, m => Assert.Equal(second.VersionTag, m?.VersionTag));
        Assert.Equal(first.VersionTag, (await recheck)?.VersionTag);
        Assert.Equal(first.VersionTag, (await cache.GetActiveAsync())?.VersionTag);
    }
}
