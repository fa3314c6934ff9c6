using Microsoft.EntityFrameworkCore;
using ViralityDashboard.Core.Ml;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Entities;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Monitoring;
using static ViralityDashboard.IntegrationTests.Training.Monitoring.MonitoringRows;

namespace ViralityDashboard.IntegrationTests.Training.Monitoring;

public sealed class ChallengerComparisonTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task FiguresEqualADirectRecomputationOverTheVideosBothVersionsMaturedOnly()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var champion = await StoreAsync(db, Version("champ", 0.7), activate: true);
        var challenger = await StoreAsync(db, Version("chall", 0.72));
        await db.Get<ModelRegistryStore>().SetShadowAsync("chall", true, "test", null);
        var random = new Random(12);
        var rows = new List<PredictionLogEntry>();
        int Tier() => random.Next(1, 6);
        int Near(int tier) => Math.Clamp(tier + random.Next(-1, 2), 1, 5);
        // The champion scored videos 1–250, the challenger (shadowed later) 100–300; each judged by its own tiers, which
        // differ now and then. Unmatured rows, non-scoring rows and a third version must not count.
        var truth = Enumerable.Range(0, 301).Select(_ => Tier()).ToArray();
        for (var v = 1; v <= 250; v++)
            rows.Add(Prediction(champion.Id, v, Near(truth[v]), v > 240 ? null : truth[v], T0.AddHours(v)));
        for (var v = 100; v <= 300; v++)
            rows.Add(Prediction(challenger.Id, v, Near(truth[v]), v % 17 == 0 ? Near(truth[v]) : truth[v], T0.AddHours(v)));
        rows.Add(Prediction(challenger.Id, 50, 3, 3, T0, PredictionSource.Api));
        rows.Add(Prediction(champion.Id, 400, 3, 3, T0));
        rows.Add(Prediction(challenger.Id, 400, 3, 3, T0, PredictionSource.Page));
        var other = await StoreAsync(db, Version("other", 0.6));
        rows.AddRange(Enumerable.Range(100, 50).Select(v => Prediction(other.Id, v, 1, 5, T0)));
        await InsertAsync(db, rows);

        var report = await db.Get<ChallengerComparison>().CompareAsync();

        var row = Assert.Single(report.Comparisons);
        var champ = rows.Where(r => r.ModelVersionId == champion.Id && r.Source == PredictionSource.Scoring && r.OutcomeTier is not null).ToDictionary(r => r.VideoId!.Value);
        var chall = rows.Where(r => r.ModelVersionId == challenger.Id && r.Source == PredictionSource.Scoring && r.OutcomeTier is not null).ToDictionary(r => r.VideoId!.Value);
        var shared = champ.Keys.Intersect(chall.Keys).Order().ToArray();
        var expectedChampion = Metrics.Evaluate(shared.Select(v => (int)champ[v].OutcomeTier!).ToArray(), shared.Select(v => (int)champ[v].PredictedTier!).ToArray());
        var expectedChallenger = Metrics.Evaluate(shared.Select(v => (int)chall[v].OutcomeTier!).ToArray(), shared.Select(v => (int)chall[v].PredictedTier!).ToArray());
        bool Right(PredictionLogEntry e) => e.OutcomeTier == e.PredictedTier;
        var challengerOnly = shared.Count(v => Right(chall[v]) && !Right(champ[v]));
        var championOnly = shared.Count(v => Right(champ[v]) && !Right(chall[v]));

        Assert.Equal(("champ", "chall", "seed15", shared.Length), (row.ChampionTag, row.ChallengerTag, row.FeatureSet, row.SharedVideos));
        Assert.Equal(141, shared.Length); // videos 100–240: the overlap, matured on both sides
        Assert.Equal(new ChallengerFigures(shared.Length, expectedChampion.Accuracy, expectedChampion.MacroF1, expectedChampion.QuadraticWeightedKappa), row.Champion);
        Assert.Equal(new ChallengerFigures(shared.Length, expectedChallenger.Accuracy, expectedChallenger.MacroF1, expectedChallenger.QuadraticWeightedKappa), row.Challenger);
        Assert.Equal((challengerOnly, championOnly), (row.ChallengerOnlyRight, row.ChampionOnlyRight));
        Assert.Equal(expectedChallenger.Accuracy - expectedChampion.Accuracy, row.AccuracyDifference!.Value, 12);
        var (_, low, high) = ChallengerComparison.PairedDifference(challengerOnly, championOnly, shared.Length);
        Assert.Equal((low, high), (row.DifferenceLow, row.DifferenceHigh));
        Assert.True(low < row.AccuracyDifference && row.AccuracyDifference < high);
        Assert.Equal("champ", report.Champions["seed15"]);
        Assert.Equal(["other", "chall"], report.Candidates.Select(c => c.Tag).OrderBy(t => t == "chall"));
        Assert.True(report.Candidates.Single(c => c.Tag == "chall").IsShadow);
    }

    /// <summary>
    /// Issue 23 §4, §6: as in realized metrics, a video judged on the snapshot it was predicted from, or first seen by
    /// either version's newest training video, is not a forecast and is left out of the pair.
    /// </summary>
    [Fact]
    public async Task VideosJudgedOnTheirOwnInputsOrSeenInEitherVersionsTrainingAreNotCompared()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var champion = Version("champ", 0.7);
        champion.TrainedThrough = T0.AddHours(10);
        var challenger = Version("chall", 0.72);
        challenger.TrainedThrough = T0.AddHours(20); // the later of the two dates both
        champion = await StoreAsync(db, champion, activate: true);
        challenger = await StoreAsync(db, challenger);
        await db.Get<ModelRegistryStore>().SetShadowAsync("chall", true, "test", null);
        // Videos 1–40 first seen an hour apart; the challenger is always right, the champion never. Videos 1–20 were first
        // seen by the challenger's newest training video; 25–29 were judged on the snapshot they were predicted from.
        DateTimeOffset Seen(int v) => T0.AddHours(v);
        DateTimeOffset Outcome(int v) => v is >= 25 and <= 29 ? Seen(v) : Seen(v).AddDays(9);
        await InsertAsync(db, Enumerable.Range(1, 40).SelectMany(v => new[]
        {
            Prediction(champion.Id, v, 2, 3, Seen(v)),
            Prediction(challenger.Id, v, 3, 3, Seen(v)),
        }).Select(p => { p.OutcomeAt = Outcome((int)p.VideoId!.Value); return p; }));

        var row = Assert.Single((await db.Get<ChallengerComparison>().CompareAsync()).Comparisons);

        // 21–40 less 25–29: 15 videos.
        Assert.Equal((15, 15, 0), (row.SharedVideos, row.ChallengerOnlyRight, row.ChampionOnlyRight));
    }

    [Fact]
    public async Task AChallengerWithoutSharedMaturedVideosHasNoFiguresAndNoShadowNoComparison()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var champion = await StoreAsync(db, Version("champ", 0.7), activate: true);
        await StoreAsync(db, Version("idle", 0.7));
        var comparison = db.Get<ChallengerComparison>();
        Assert.Empty((await comparison.CompareAsync()).Comparisons);

        var challenger = await StoreAsync(db, Version("chall", 0.72));
        await db.Get<ModelRegistryStore>().SetShadowAsync("chall", true, "test", null);
        await InsertAsync(db, [Prediction(champion.Id, 1, 2, 2, T0), Prediction(challenger.Id, 1, 2, null, T0)]);
        var row = Assert.Single((await comparison.CompareAsync()).Comparisons);

        Assert.Equal((0, (ChallengerFigures?)null, (double?)null), (row.SharedVideos, row.Challenger, row.AccuracyDifference));
    }

    [Fact]
    public async Task APairsFiguresAreKeptUntilAMaturingPassChangesEitherVersionsRealizedWeeks()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        var champion = await StoreAsync(db, Version("champ", 0.7), activate: true);
        var challenger = await StoreAsync(db, Version("chall", 0.72));
        await db.Get<ModelRegistryStore>().SetShadowAsync("chall", true, "test", null);
        await InsertAsync(db, Enumerable.Range(1, 10).SelectMany(v => new[] { Prediction(champion.Id, v, 2, 2, T0), Prediction(challenger.Id, v, 2, 3, T0) }));
        var comparison = db.Get<ChallengerComparison>();
        Assert.Equal(10, (await comparison.CompareAsync()).Comparisons.Single().SharedVideos);

        await InsertAsync(db, Enumerable.Range(11, 5).SelectMany(v => new[] { Prediction(champion.Id, v, 2, 2, T0), Prediction(challenger.Id, v, 2, 2, T0) }));
        var kept = (await comparison.CompareAsync()).Comparisons.Single();
        await using (var ctx = await db.Get<IDbContextFactory<ViralityDbContext>>().CreateDbContextAsync())
        {
            ctx.RealizedMetrics.Add(new RealizedWeek { ModelVersionId = challenger.Id, Week = DateOnly.FromDateTime(T0.UtcDateTime), Matured = 15, UpdatedAt = T0.AddDays(8) });
            await ctx.SaveChangesAsync();
        }
        var fresh = (await comparison.CompareAsync()).Comparisons.Single();

        Assert.Equal(10, kept.SharedVideos);
        Assert.Equal((15, 0, 10), (fresh.SharedVideos, fresh.ChallengerOnlyRight, fresh.ChampionOnlyRight));
    }
}
