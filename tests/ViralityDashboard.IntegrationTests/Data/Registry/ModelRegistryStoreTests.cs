using ViralityDashboard.Core.Ml;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Registry;

public sealed class ModelRegistryStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ModelVersion Version(string tag, VersionStatus status = VersionStatus.Inactive) => new()
    {
        VersionTag = tag, Kind = ModelKind.Engagement, Status = status, TrainedAt = DateTimeOffset.UtcNow, FeatureSet = "seed15", Trainer = "lbfgs",
    };

    private static Task<long> ActiveCount(TestDatabase db) => db.ScalarAsync("SELECT count(*) FROM model_versions WHERE kind = 'engagement' AND is_active");

    private static Task<long> ActiveId(TestDatabase db) => db.ScalarAsync("SELECT id FROM model_versions WHERE kind = 'engagement' AND is_active");

    [Fact]
    public async Task ActivateAndRollbackKeepExactlyOneActiveVersionAndAuditEachChange()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        var a = await store.StoreAsync(Version("a"), activate: true, "test", "first");
        var b = await store.StoreAsync(Version("b"), activate: false, "test", null);
        Assert.Equal((1L, a.Id), (await ActiveCount(db), await ActiveId(db)));

        var activated = await store.ActivateAsync("b", "alice", "better on new data");
        Assert.Equal((1L, b.Id), (await ActiveCount(db), await ActiveId(db)));
        Assert.Equal(("a", "b"), (activated.FromTag, activated.ToTag));

        var rolledBack = await store.RollbackAsync(ModelKind.Engagement, "bob", "b misbehaves");
        Assert.Equal((1L, a.Id), (await ActiveCount(db), await ActiveId(db)));
        Assert.Equal((ActivationAction.Rollback, "b", "a"), (rolledBack.Action, rolledBack.FromTag, rolledBack.ToTag));

        var audit = await store.AuditAsync(ModelKind.Engagement);
        Assert.Collection(audit,
            c => Assert.Equal((ActivationAction.Activate, (string?)null, "a", "test"), (c.Action, c.FromTag, c.ToTag, c.ChangedBy)),
            c => Assert.Equal((ActivationAction.Activate, "a", "b", "alice", "better on new data"), (c.Action, c.FromTag, c.ToTag, c.ChangedBy, c.Reason)),
            c => Assert.Equal((ActivationAction.Rollback, "b", "a", "bob", "b misbehaves"), (c.Action, c.FromTag, c.ToTag, c.ChangedBy, c.Reason)));
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        Assert.Equal(VersionStatus.Inactive, (await ctx.ModelVersions.SingleAsync(v => v.VersionTag == "b")).Status);
    }

    [Fact]
    public async Task RefusesToActivateARejectedVersionAndLeavesTheActiveOne()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        var a = await store.StoreAsync(Version("a"), activate: true, "test", null);
        await store.StoreAsync(Version("bad", VersionStatus.Rejected), activate: false, "test", null);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => store.ActivateAsync("bad", "alice", null));

        Assert.Contains("rejected", error.Message);
        Assert.Equal((1L, a.Id), (await ActiveCount(db), await ActiveId(db)));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_activations"));
    }

    [Fact]
    public async Task ConcurrentActivationsNeverLeaveTwoActiveVersions()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("a"), activate: true, "test", null);
        foreach (var tag in new[] { "b", "c", "d", "e" })
            await store.StoreAsync(Version(tag), activate: false, "test", null);

        await Task.WhenAll(new[] { "b", "c", "d", "e" }.Select(tag => Task.Run(() => store.ActivateAsync(tag, "race", null))));

        Assert.Equal(1, await ActiveCount(db));
        // Each activation saw the previous one's result: the audit chain has no fork.
        var audit = await store.AuditAsync(ModelKind.Engagement);
        Assert.Equal(5, audit.Count);
        for (var i = 1; i < audit.Count; i++)
            Assert.Equal(audit[i - 1].ToTag, audit[i].FromTag);
    }
}
