using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data.Registry;

/// <summary>
/// Issue 24 §1: the confirmation dialogs' "from → to" comes from the registry, worked out per feature set by the same
/// query as the change itself (the page once took the first active row, a pre-posting version, for the seed15 one).
/// </summary>
public sealed class ModelRegistryStorePreviewTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static ModelVersion Version(string tag, string featureSet, VersionStatus status = VersionStatus.Inactive) => new()
    {
        VersionTag = tag, Kind = ModelKind.Engagement, Status = status, TrainedAt = DateTimeOffset.UtcNow, FeatureSet = featureSet, Trainer = "lbfgs",
    };

    /// <summary>seed15 s1 then s2 active, pre-posting p1 then p2 active (the pre-posting one activated last).</summary>
    private static async Task<ModelRegistryStore> TwoFeatureSetsAsync(TestDatabase db)
    {
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("s1", "seed15"), activate: true, "test", null);
        await store.StoreAsync(Version("s2", "seed15"), activate: true, "test", null);
        await store.StoreAsync(Version("p1", "pre-posting"), activate: true, "test", null);
        await store.StoreAsync(Version("p2", "pre-posting"), activate: true, "test", null);
        return store;
    }

    [Fact]
    public async Task TheActivatePreviewNamesTheActiveVersionOfTheTargetsFeatureSetAsTheChangeRecordsIt()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = await TwoFeatureSetsAsync(db);

        var preview = await store.PreviewActivateAsync("s1");
        var change = await store.ActivateAsync("s1", "owner", "s2 over-predicts");

        Assert.Equal(new PlannedChange(ModelKind.Engagement, "seed15", "s2", "s1"), preview);
        Assert.Equal((preview.FromTag, preview.ToTag), (change.FromTag, change.ToTag));
    }

    [Fact]
    public async Task EachFeatureSetRollsBackToItsOwnPreviousVersionAsPreviewed()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = await TwoFeatureSetsAsync(db);

        var seed15 = await store.PreviewRollbackAsync(ModelKind.Engagement, "seed15");
        var prePosting = await store.PreviewRollbackAsync(ModelKind.Engagement, "pre-posting");
        var activatedLast = await store.PreviewRollbackAsync(ModelKind.Engagement, null);
        var rolledBack = await store.RollbackAsync(ModelKind.Engagement, "owner", "back", featureSet: "seed15");

        Assert.Equal(new PlannedChange(ModelKind.Engagement, "seed15", "s2", "s1"), seed15);
        Assert.Equal(new PlannedChange(ModelKind.Engagement, "pre-posting", "p2", "p1"), prePosting);
        Assert.Equal((ActivationAction.Rollback, "s2", "s1"), (rolledBack.Action, rolledBack.FromTag, rolledBack.ToTag));
        // The pre-posting version stays active: a rollback of one feature set leaves the other alone.
        Assert.Equal(["p2", "s1"], (await store.ListAsync(ModelKind.Engagement)).Where(v => v.IsActive).Select(v => v.VersionTag).Order());
        Assert.Equal(prePosting, activatedLast); // without a feature set, as the CLI without --features: the one activated last
    }

    [Fact]
    public async Task PreviewsRefuseWhatTheChangeWouldRefuse()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var store = db.Get<ModelRegistryStore>();
        await store.StoreAsync(Version("s1", "seed15"), activate: true, "test", null);
        await store.StoreAsync(Version("bad", "seed15", VersionStatus.Rejected), activate: false, "test", null);

        var nothingBefore = await Assert.ThrowsAsync<ModelRegistryException>(() => store.PreviewRollbackAsync(ModelKind.Engagement, "seed15"));
        var noneActive = await Assert.ThrowsAsync<ModelRegistryException>(() => store.PreviewRollbackAsync(ModelKind.Engagement, "pre-posting"));
        var rejected = await Assert.ThrowsAsync<ModelRegistryException>(() => store.PreviewActivateAsync("bad"));
        var already = await Assert.ThrowsAsync<ModelRegistryException>(() => store.PreviewActivateAsync("s1"));

        Assert.Equal("s1 has no previously active engagement seed15 version to roll back to.", nothingBefore.Message);
        Assert.Equal("No active engagement pre-posting version to roll back from.", noneActive.Message);
        Assert.Contains("rejected", rejected.Message);
        Assert.Contains("already active", already.Message);
    }
}
