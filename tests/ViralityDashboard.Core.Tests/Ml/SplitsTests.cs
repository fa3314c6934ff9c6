using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Tests.Ml;

public class SplitsTests
{
    private static int[] Labels(params (int Tier, int Count)[] groups) =>
        groups.SelectMany(g => Enumerable.Repeat(g.Tier, g.Count)).ToArray();

    [Fact]
    public void StratifiedSplitKeepsEachTiersShare()
    {
        var labels = Labels((1, 50), (2, 30), (3, 20));

        var split = Splits.Stratified(labels, 0.2, seed: 42);

        var testCounts = split.Test.GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.Equal([10, 6, 4], testCounts);
        Assert.Equal(80, split.Train.Length);
        Assert.Empty(split.Train.Intersect(split.Test));
    }

    [Fact]
    public void StratifiedSplitIsTheSameForTheSameSeed()
    {
        var labels = Labels((1, 40), (2, 40), (3, 40));

        var first = Splits.Stratified(labels, 0.2, seed: 42);
        var second = Splits.Stratified(labels, 0.2, seed: 42);
        var other = Splits.Stratified(labels, 0.2, seed: 7);

        Assert.Equal(first.Test, second.Test);
        Assert.NotEqual(first.Test, other.Test);
    }

    [Fact]
    public void HashSplitKeepsARowOnItsSideWhenOtherRowsChange()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => $"video-{i}").ToArray();
        var subset = ids.Where((_, i) => i % 3 == 0).ToArray();

        var full = Splits.Hash(ids, 0.2, seed: 42);
        var partial = Splits.Hash(subset, 0.2, seed: 42);

        var testInFull = full.Test.Select(i => ids[i]).ToHashSet();
        var testInPartial = partial.Test.Select(i => subset[i]).ToHashSet();
        Assert.Equal(testInFull.Where(subset.Contains).ToHashSet(), testInPartial);
    }

    [Fact]
    public void HashSplitSendsAboutTheRequestedShareToTest()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"7{i:D18}").ToArray();

        var split = Splits.Hash(ids, 0.2, seed: 42);

        Assert.InRange(split.Test.Length, 1800, 2200);
        Assert.Equal(10_000, split.Train.Length + split.Test.Length);
    }

    // Worked out independently (FNV-1a 64 over the seed's 4 bytes and "abc", then splitmix64 finalizer).
    private const ulong KnownHashOfAbc = 0x097E_FAEC_D630_7DB8UL;

    [Fact]
    public void StableHashDoesNotDependOnTheProcess()
    {
        // A fixed value: string.GetHashCode would differ between runs.
        Assert.Equal(StableHash.Of("7301234567890123456", 42), StableHash.Of("7301234567890123456", 42));
        Assert.Equal(KnownHashOfAbc, StableHash.Of("abc", 42));
        Assert.NotEqual(StableHash.Of("abc", 42), StableHash.Of("abc", 43));
    }

    [Fact]
    public void TimeSplitTestsOnTheNewestRows()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        // Posted in shuffled order: row i posted on day (i × 7) mod 10.
        var posted = Enumerable.Range(0, 10).Select(i => (DateTimeOffset?)start.AddDays(i * 7 % 10)).ToArray();

        var split = Splits.Time(posted, 0.2);

        var newest = posted.Select((p, i) => (p, i)).OrderByDescending(x => x.p).Take(2).Select(x => x.i).Order();
        Assert.Equal(newest, split.Test);
        Assert.True(split.Train.All(i => posted[i] < split.Test.Min(t => posted[t])));
    }

    [Fact]
    public void StratifiedFoldsBalanceEveryTierAcrossFolds()
    {
        var labels = Labels((1, 23), (2, 11), (3, 7));

        var folds = Splits.StratifiedFolds(labels, 5, seed: 42);

        foreach (var tier in new[] { 1, 2, 3 })
        {
            var perFold = Enumerable.Range(0, 5).Select(f => folds.Where((fold, i) => fold == f && labels[i] == tier).Count()).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"tier {tier}: {string.Join(",", perFold)}");
        }
        Assert.Equal(folds, Splits.StratifiedFolds(labels, 5, seed: 42));
        var union = Enumerable.Range(0, 5).SelectMany(f => Splits.Fold(folds, f).Test).Order();
        Assert.Equal(Enumerable.Range(0, labels.Length), union);
    }
}
