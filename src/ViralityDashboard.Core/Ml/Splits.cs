using System.Text;
using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

[JsonConverter(typeof(JsonStringEnumConverter<SplitKind>))]
public enum SplitKind
{
    /// <summary>Keep each tier's share in train and test (seed 002; the default).</summary>
    [JsonStringEnumMemberName("stratified")] Stratified,
    /// <summary>Each row's side decided by a stable hash of its id (seed 000): a row never changes side.</summary>
    [JsonStringEnumMemberName("hash")] Hash,
    /// <summary>Older rows train, newer rows test.</summary>
    [JsonStringEnumMemberName("time")] Time,
    /// <summary>Rows carry their side already (the bundled fallback set).</summary>
    [JsonStringEnumMemberName("predefined")] Predefined,
}

/// <summary>Row indices on each side of a split, each in ascending order.</summary>
public sealed record SplitIndices(int[] Train, int[] Test);

/// <summary>Deterministic train/test splits and stratified folds. All randomness is seeded.</summary>
public static class Splits
{
    /// <summary>
    /// Test when the row's hash, mapped to [0, 1), falls below the test fraction. The side depends on
    /// the id and the seed only, so adding rows never moves an existing row; the test share is
    /// therefore close to, not exactly, the fraction.
    /// </summary>
    public static SplitIndices Hash(IReadOnlyList<string> ids, double testFraction, int seed)
    {
        CheckFraction(testFraction);
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < ids.Count; i++)
            (UnitInterval(StableHash.Of(ids[i], seed)) < testFraction ? test : train).Add(i);
        return new SplitIndices(train.ToArray(), test.ToArray());
    }

    /// <summary>
    /// Per tier, a seeded shuffle, then round(count × fraction) rows to test, so each tier keeps its share.
    /// </summary>
    public static SplitIndices Stratified(IReadOnlyList<int> labels, double testFraction, int seed)
    {
        CheckFraction(testFraction);
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in GroupByLabel(labels))
        {
            var members = group.Value;
            Shuffle(members, random);
            var testCount = (int)Math.Round(members.Count * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(members.Take(testCount));
            train.AddRange(members.Skip(testCount));
        }
        train.Sort();
        test.Sort();
        return new SplitIndices(train.ToArray(), test.ToArray());
    }

    /// <summary>
    /// Rows sorted by posting time (unknown first, ties by index); the newest round(n × fraction) test.
    /// </summary>
    public static SplitIndices Time(IReadOnlyList<DateTimeOffset?> postedAt, double testFraction)
    {
        CheckFraction(testFraction);
        var order = Enumerable.Range(0, postedAt.Count)
            .OrderBy(i => postedAt[i] ?? DateTimeOffset.MinValue)
            .ThenBy(i => i)
            .ToArray();
        var testCount = (int)Math.Round(postedAt.Count * testFraction, MidpointRounding.AwayFromZero);
        var train = order.Take(order.Length - testCount).Order().ToArray();
        var test = order.Skip(order.Length - testCount).Order().ToArray();
        return new SplitIndices(train, test);
    }

    /// <summary>
    /// Stratified k-fold: per tier, a seeded shuffle, then rows dealt to folds in turn.
    /// Returns the fold (0..k−1) of every row; fold sizes per tier differ by at most one.
    /// </summary>
    public static int[] StratifiedFolds(IReadOnlyList<int> labels, int k, int seed)
    {
        if (k < 2)
            throw new ArgumentOutOfRangeException(nameof(k), k, "Cross-validation needs at least 2 folds.");
        var random = new Random(seed);
        var folds = new int[labels.Count];
        var next = 0;
        foreach (var group in GroupByLabel(labels))
        {
            var members = group.Value;
            Shuffle(members, random);
            // Continue dealing where the previous tier stopped so small tiers do not all land in fold 0.
            foreach (var index in members)
                folds[index] = next++ % k;
        }
        return folds;
    }

    /// <summary>Train and test indices of fold <paramref name="fold"/>.</summary>
    public static SplitIndices Fold(int[] folds, int fold)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < folds.Length; i++)
            (folds[i] == fold ? test : train).Add(i);
        return new SplitIndices(train.ToArray(), test.ToArray());
    }

    private static SortedDictionary<int, List<int>> GroupByLabel(IReadOnlyList<int> labels)
    {
        var groups = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < labels.Count; i++)
        {
            if (!groups.TryGetValue(labels[i], out var list))
                groups[labels[i]] = list = [];
            list.Add(i);
        }
        return groups;
    }

    // Fisher–Yates with System.Random(seed), whose seeded sequence is stable across .NET versions.
    private static void Shuffle(List<int> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static double UnitInterval(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static void CheckFraction(double testFraction)
    {
        if (testFraction is <= 0 or >= 1 || double.IsNaN(testFraction))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction lies strictly between 0 and 1.");
    }
}

/// <summary>
/// A hash that is the same in every process and on every machine (string.GetHashCode is randomized
/// per process): 64-bit FNV-1a over the seed and the UTF-8 bytes, finished with a splitmix64 mix.
/// </summary>
public static class StableHash
{
    public static ulong Of(string text, int seed)
    {
        const ulong offset = 14695981039346656037UL, prime = 1099511628211UL;
        var hash = offset;
        for (var shift = 0; shift < 32; shift += 8)
            hash = (hash ^ (byte)(seed >> shift)) * prime;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * prime;
        // FNV alone mixes the last bytes poorly; ids often differ only there.
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return hash;
    }
}
