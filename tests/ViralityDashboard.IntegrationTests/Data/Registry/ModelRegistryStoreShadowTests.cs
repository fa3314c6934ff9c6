using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Registry;

public sealed class ModelRegistryStoreShadowTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ModelVersion Version(string tag, VersionStatus status = VersionStatus.Inactive, ModelKind kind = ModelKind.Engagement) => new()
    {
        VersionTag = tag, Kind = kind, Status = status, TrainedAt = DateTimeOffset.UtcNow, FeatureSet = kind == ModelKind.Engagement ? "seed15" : "analysis-v3", Trainer = "lbfgs",
    };

    private static async Task<bool> IsShadow(TestDatabase db, string tag)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        return await ctx.ModelVersions.Where(v => v.VersionTag == tag).Select(v => v.IsShadow).SingleAsync();
    }

    [Fact]
    public async Task AnInactiveVersionThatPassedTheGateShadowsAndStopsWithAnAuditRowForEach()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("champ"), activate: true, "test", "first");
        await store.StoreAsync(Version("chall"), activate: false, "test", null);

        var shadowed = await store.SetShadowAsync("chall", shadow: true, "alice", "compare on new videos");
        Assert.True(await IsShadow(db, "chall"));
        var unshadowed = await store.SetShadowAsync("chall", shadow: false, "bob", null);
        Assert.False(await IsShadow(db, "chall"));

        Assert.Equal((ActivationAction.Shadow, (string?)null, "chall", "alice", "compare on new videos"),
            (shadowed.Action, shadowed.FromTag, shadowed.ToTag, shadowed.ChangedBy, shadowed.Reason));
        var audit = await store.AuditAsync(ModelKind.Engagement);
        Assert.Equal([ActivationAction.Activate, ActivationAction.Shadow, ActivationAction.Unshadow], audit.Select(a => a.Action));
        Assert.Equal((unshadowed.Id, "chall", "bob"), (audit[2].Id, audit[2].ToTag, audit[2].ChangedBy));
        // The stored wire names: the column keeps strings, so the new members need no migration.
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_activations WHERE action = 'shadow'"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_activations WHERE action = 'unshadow'"));
        // Neither touched the champion.
        Assert.Equal("champ", (await store.ListAsync(ModelKind.Engagement)).Single(v => v.IsActive).VersionTag);
    }

    [Fact]
    public async Task ActiveRejectedPreferenceAndUnknownVersionsCannotShadowAndNothingIsWritten()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("champ"), activate: true, "test", null);
        await store.StoreAsync(Version("bad", VersionStatus.Rejected), activate: false, "test", null);
        await store.StoreAsync(Version("pref", kind: ModelKind.Preference), activate: false, "test", null);

        var active = await Assert.ThrowsAsync<ModelRegistryException>(() => store.SetShadowAsync("champ", true, "alice", null));
        var rejected = await Assert.ThrowsAsync<ModelRegistryException>(() => store.SetShadowAsync("bad", true, "alice", null));
        var preference = await Assert.ThrowsAsync<ModelRegistryException>(() => store.SetShadowAsync("pref", true, "alice", null));
        var unknown = await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => store.SetShadowAsync("nope", true, "alice", null));
        var notShadowing = await Assert.ThrowsAsync<ModelRegistryException>(() => store.SetShadowAsync("champ", false, "alice", null));

        Assert.Contains("active", active.Message);
        Assert.Contains("rejected", rejected.Message);
        Assert.Contains("engagement", preference.Message);
        Assert.Contains("'nope'", unknown.Message);
        Assert.Contains("not in shadow", notShadowing.Message);
        Assert.Equal(0, await db.ScalarAsync("SELECT count(*) FROM model_versions WHERE is_shadow"));
        Assert.Equal(1, await db.ScalarAsync("SELECT count(*) FROM model_activations"));
    }

    [Fact]
    public async Task ShadowingTwiceIsRefusedAndPromotingAShadowMakesItTheChampionOutOfShadow()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("champ"), activate: true, "test", null);
        await store.StoreAsync(Version("chall"), activate: false, "test", null);
        await store.SetShadowAsync("chall", true, "alice", null);

        var twice = await Assert.ThrowsAsync<ModelRegistryException>(() => store.SetShadowAsync("chall", true, "alice", null));
        var promoted = await store.ActivateAsync("chall", "alice", "promoted from shadow");

        Assert.Contains("already in shadow", twice.Message);
        Assert.Equal(("champ", "chall", "promoted from shadow"), (promoted.FromTag, promoted.ToTag, promoted.Reason));
        Assert.False(await IsShadow(db, "chall"));
        // The rollback still finds the champion the promotion replaced, past the shadow row.
        var back = await store.RollbackAsync(ModelKind.Engagement, "bob", "too early");
        Assert.Equal(("chall", "champ"), (back.FromTag, back.ToTag));
    }
}
