using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Ml;

/// <summary>One feature's leakage figures.</summary>
/// <param name="OneFeatureAccuracy">Test accuracy of a model that sees this feature only.</param>
/// <param name="ComputedFromLabelSource">The feature uses a raw field the label is computed from.</param>
/// <param name="StrongAlone">The feature alone beats the baseline by at least the configured lift.</param>
public sealed record FeatureLeakage(
    string Feature, double OneFeatureAccuracy, double BaselineAccuracy, bool ComputedFromLabelSource, bool StrongAlone, string? Warning);

/// <param name="Bins">Quantile bins of the one-feature model.</param>
/// <param name="StrongLift">Accuracy above the majority baseline at which a lone feature is called strong.</param>
public sealed record LeakageOptions(int Bins = 20, double StrongLift = 0.20);

/// <summary>
/// Per feature, the test accuracy of a one-feature model against the majority baseline, and whether the
/// feature is computed from the label's own source. The one-feature model bins the feature at its
/// training quantiles and predicts each bin's most frequent tier: it captures non-monotone relations a
/// linear model would miss, and costs one sort per feature instead of one fit.
/// </summary>
public static class LeakageCheck
{
    public static IReadOnlyList<FeatureLeakage> Run(
        FeatureSet featureSet, FeatureSource labelSources,
        IReadOnlyList<float[]> trainX, IReadOnlyList<int> trainY,
        IReadOnlyList<float[]> testX, IReadOnlyList<int> testY,
        LeakageOptions? options = null)
    {
        options ??= new LeakageOptions();
        var baseline = Baselines.Majority(trainY, testY).Accuracy;
        var result = new List<FeatureLeakage>(featureSet.Count);
        for (var j = 0; j < featureSet.Count; j++)
        {
            var feature = featureSet.Features[j];
            var accuracy = OneFeatureAccuracy(j, trainX, trainY, testX, testY, options.Bins);
            var overlap = (feature.Sources & labelSources) != 0;
            var strong = accuracy - baseline >= options.StrongLift;
            string? warning = (overlap, strong) switch
            {
                (true, true) => $"{feature.Name} is computed from the label's source ({labelSources & feature.Sources}) and alone reaches {Percent.Of(accuracy)} against a {Percent.Of(baseline)} baseline: likely label leakage.",
                (true, false) => $"{feature.Name} is computed from the label's source ({labelSources & feature.Sources}): possible label leakage.",
                (false, true) => $"{feature.Name} alone reaches {Percent.Of(accuracy)} against a {Percent.Of(baseline)} baseline: check it for leakage.",
                _ => null,
            };
            result.Add(new FeatureLeakage(feature.Name, accuracy, baseline, overlap, strong, warning));
        }
        return result;
    }

    internal static double OneFeatureAccuracy(
        int feature, IReadOnlyList<float[]> trainX, IReadOnlyList<int> trainY,
        IReadOnlyList<float[]> testX, IReadOnlyList<int> testY, int bins)
    {
        var values = trainX.Select(x => (double)x[feature]).ToArray();
        var edges = PercentileCont.OfMany(values, Enumerable.Range(1, bins - 1).Select(b => (double)b / bins).ToArray())
            .Distinct().ToArray();
        var counts = new int[edges.Length + 1, TierModel.TierCount];
        for (var i = 0; i < values.Length; i++)
            counts[Bin(edges, values[i]), trainY[i] - 1]++;
        var fallback = Metrics.ArgMaxTier(Baselines.Prior(trainY));
        var binTier = new int[edges.Length + 1];
        for (var b = 0; b < binTier.Length; b++)
        {
            var best = -1;
            for (var c = 0; c < TierModel.TierCount; c++)
                if (counts[b, c] > 0 && (best < 0 || counts[b, c] > counts[b, best]))
                    best = c;
            binTier[b] = best < 0 ? fallback : best + 1;
        }
        var correct = 0;
        for (var i = 0; i < testX.Count; i++)
            if (binTier[Bin(edges, testX[i][feature])] == testY[i])
                correct++;
        return testX.Count == 0 ? 0 : (double)correct / testX.Count;
    }

    // Same boundary rule as tiers: a value equal to an edge falls in the lower bin.
    private static int Bin(double[] edges, double value)
    {
        var bin = 0;
        while (bin < edges.Length && edges[bin] < value)
            bin++;
        return bin;
    }
}
