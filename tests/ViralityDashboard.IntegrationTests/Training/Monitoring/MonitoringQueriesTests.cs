using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Queries;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

/// <summary>The read side of realized performance, over rows written straight into model_versions and realized_metrics.</summary>
public sealed class MonitoringQueriesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Monday = new(2026, 10, 5);

    /// <summary>Test figures stored as a training run stores them (the Models page reads the same JSON).</summary>
    private static string StoredMetrics(int[][] testConfusion) =>
        JsonSerializer.Serialize(new EngagementVersionMetrics(Metrics.FromConfusion(testConfusion), 0.8, null, null, null, null), StoredJson.Options);

    private static ModelVersion Version(string tag, int day, bool active = false, bool shadow = false, ModelKind kind = ModelKind.Engagement, string featureSet = "seed15") => new()
    {
        VersionTag = tag, Kind = kind, Status = active ? VersionStatus.Active : VersionStatus.Inactive, IsActive = active, IsShadow = shadow,
        TrainedAt = T0.AddDays(day), FeatureSet = featureSet, Trainer = "lbfgs", TierScheme = "views",
        Metrics = StoredMetrics([[8, 2, 0, 0, 0], [1, 7, 2, 0, 0], [0, 2, 6, 2, 0], [0, 0, 2, 7, 1], [0, 0, 0, 3, 7]]),
    };

    /// <summary>A week as the maturing pass leaves it: counts, and the figures derived from them.</summary>
    private static RealizedWeek Week(ModelVersion version, DateOnly week, int[][] confusion)
    {
        var m = Metrics.FromConfusion(confusion);
        return new RealizedWeek
        {
            ModelVersionId = version.Id, Week = week, Matured = m.Count, Accuracy = m.Accuracy, MacroF1 = m.MacroF1, Kappa = m.QuadraticWeightedKappa,
            WithinOne = m.WithinOneTierAccuracy, Confusion = [.. confusion.SelectMany(row => row)], UpdatedAt = T0,
        };
    }

    /// <summary>A 5 × 5 confusion with <paramref name="right"/> on the diagonal and <paramref name="wrong"/> one tier off.</summary>
    private static int[][] Confusion(int right, int wrong) =>
        [.. Enumerable.Range(0, 5).Select(a => Enumerable.Range(0, 5).Select(p => p == a ? right : p == (a + 1) % 5 ? wrong : 0).ToArray())];

    private static async Task AddAsync(TestDatabase db, IEnumerable<ModelVersion> versions, Func<IReadOnlyDictionary<string, ModelVersion>, IEnumerable<RealizedWeek>> weeks)
    {
        await using var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync();
        var list = versions.ToList();
        ctx.ModelVersions.AddRange(list);
        await ctx.SaveChangesAsync();
        ctx.RealizedMetrics.AddRange(weeks(list.ToDictionary(v => v.VersionTag)));
        await ctx.SaveChangesAsync();
    }

    [Fact]
    public async Task EachVersionCarriesItsServedAccuracyAndHowManyPredictionsWereNotCountedOverAllWeeks()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var served = Version("served", 2, active: true);
        served.Metrics = JsonSerializer.Serialize(new EngagementVersionMetrics(Metrics.FromConfusion(Confusion(9, 1)), 0.9, null, null, null, null)
        {
            Served = new ServedAccuracy(Metrics.FromConfusion(Confusion(6, 4)), 50),
        }, StoredJson.Options);
        // A version whose every matured prediction was of a video first seen already mature: no figures, only the count.
        await AddAsync(db, [Version("stored-before", 1), served, Version("seen-mature-only", 3)], v =>
        [
            Week(v["stored-before"], Monday, Confusion(6, 2)),
            Week(v["served"], Monday, Confusion(6, 2)),
            Week(v["served"], Monday.AddDays(7), Confusion(5, 3)),
            new RealizedWeek { ModelVersionId = v["seen-mature-only"].Id, Week = Monday, Confusion = new int[25], NoLaterSnapshot = 4, UpdatedAt = T0 },
        ]);
        await db.ExecuteAsync($"UPDATE realized_metrics SET no_later_snapshot = week - date '2026-10-01' WHERE model_version_id = {served.Id}");

        var report = await db.Get<IMonitoringQueries>().GetAsync(weeks: 1);

        Assert.Equal(["seen-mature-only", "served", "stored-before"], report.Versions.Select(v => v.Tag));
        var (mature, withServed, before) = (report.Versions[0], report.Versions[1], report.Versions[2]);
        Assert.Equal((4, 0), (mature.NoLaterSnapshot, mature.Weeks.Count));
        Assert.Equal((AccuracyBasis.Served, 0.6, 0.9), (withServed.Basis, withServed.ExpectedAccuracy!.Value, withServed.TestAccuracy!.Value));
        Assert.Equal(4 + 11, withServed.NoLaterSnapshot); // both weeks, though only the last is shown
        Assert.Single(withServed.Weeks);
        Assert.Equal((AccuracyBasis.Test, (double?)null, 0, before.TestAccuracy), (before.Basis, before.ServedAccuracy, before.NoLaterSnapshot, before.ExpectedAccuracy));
    }

    [Fact]
    public async Task AnEmptyDatabaseHasNoVersionsToReport()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var report = await db.Get<IMonitoringQueries>().GetAsync();

        Assert.Empty(report.Versions);
    }

    [Fact]
    public async Task ListsVersionsWithRealizedWeeksAndTheActiveAndShadowOnesNewestFirst()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await AddAsync(db,
            [
                Version("old-with-weeks", 1), Version("active", 2, active: true), Version("shadow", 3, shadow: true),
                Version("idle", 4), Version("pref-active", 5, active: true, kind: ModelKind.Preference, featureSet: "analysis-v3"),
            ],
            v => [Week(v["old-with-weeks"], Monday, Confusion(6, 2))]);

        var report = await db.Get<IMonitoringQueries>().GetAsync();

        Assert.Equal(["shadow", "active", "old-with-weeks"], report.Versions.Select(v => v.Tag));
        Assert.Equal([(false, true), (true, false), (false, false)], report.Versions.Select(v => (v.IsActive, v.IsShadow)));
        Assert.Equal([0, 0, 1], report.Versions.Select(v => v.Weeks.Count));
    }

    [Fact]
    public async Task EachWeekCarriesItsCountsFiguresAndTheWilsonIntervalOfTheDiagonal()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        int[][] confusion = [[5, 1, 0, 0, 0], [2, 3, 1, 0, 0], [0, 0, 4, 0, 0], [0, 1, 0, 2, 0], [0, 0, 0, 1, 0]];
        await AddAsync(db, [Version("a", 1, active: true)], v => [Week(v["a"], Monday, confusion)]);

        var version = Assert.Single((await db.Get<IMonitoringQueries>().GetAsync()).Versions);

        var week = Assert.Single(version.Weeks);
        var expected = Metrics.FromConfusion(confusion);
        Assert.Equal((Monday, 20, expected.Accuracy, expected.MacroF1, expected.QuadraticWeightedKappa), (week.Week, week.Matured, week.Accuracy, week.MacroF1, week.Kappa));
        Assert.Equal(Metrics.WilsonInterval(5 + 3 + 4 + 2 + 0, 20), (week.AccuracyLow, week.AccuracyHigh));
        Assert.InRange(week.Accuracy, week.AccuracyLow, week.AccuracyHigh);
        Assert.Equal(confusion, week.Confusion);
        // The test figures are the version's stored ones, read as the Models page reads them.
        Assert.Equal(0.7, version.TestAccuracy!.Value, 10);
        Assert.NotNull(version.TestMacroF1);
    }

    [Fact]
    public async Task KeepsOnlyTheLastWeeksWithMaturedPredictionsOldestFirst()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await AddAsync(db, [Version("a", 1, active: true), Version("b", 2)], v =>
            [
                .. Enumerable.Range(0, 5).Select(i => Week(v["a"], Monday.AddDays(7 * i), Confusion(5 + i, 1))),
                Week(v["b"], Monday.AddDays(28), Confusion(3, 3)),
            ]);

        var report = await db.Get<IMonitoringQueries>().GetAsync(weeks: 3);

        var a = report.Versions.Single(v => v.Tag == "a");
        Assert.Equal([Monday.AddDays(14), Monday.AddDays(21), Monday.AddDays(28)], a.Weeks.Select(w => w.Week));
        Assert.Single(report.Versions.Single(v => v.Tag == "b").Weeks);
    }

    [Fact]
    public async Task OneVersionByItsTagEvenWithoutWeeks()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await AddAsync(db, [Version("a", 1, active: true), Version("idle", 2)], v => [Week(v["a"], Monday, Confusion(6, 2))]);

        var report = await db.Get<IMonitoringQueries>().GetAsync("idle");

        var only = Assert.Single(report.Versions);
        Assert.Equal(("idle", 0), (only.Tag, only.Weeks.Count));
    }

    [Theory]
    [InlineData("no-such-version")]
    [InlineData("pref-active")]
    public async Task AnUnknownOrNonEngagementTagIsARegistryErrorNamingIt(string tag)
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await AddAsync(db, [Version("pref-active", 1, active: true, kind: ModelKind.Preference, featureSet: "analysis-v3")], _ => []);

        var error = await Assert.ThrowsAsync<ModelRegistryException>(() => db.Get<IMonitoringQueries>().GetAsync(tag));

        Assert.Contains($"'{tag}'", error.Message);
    }
}
