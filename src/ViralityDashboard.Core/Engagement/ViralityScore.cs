namespace ViralityDashboard.Core.Engagement;

/// <summary>One feature's share of a model's score for a tier.</summary>
/// <param name="Weight">The linear model's weight of the feature for the tier; null for tree models, which have none.</param>
public sealed record FeatureContribution(string Feature, double Value, double? Weight, double Contribution);

/// <summary>The seed's 0–100 score: Σ P(tier) × tier midpoint.</summary>
public static class ViralityScore
{
    public static IReadOnlyList<double> TierMidpoints { get; } = [12.5, 35, 55, 72.5, 90];

    public static double FromProbabilities(ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length != TierMidpoints.Count)
            throw new ArgumentException($"Expected {TierMidpoints.Count} tier probabilities, got {probabilities.Length}.", nameof(probabilities));
        double score = 0;
        for (var i = 0; i < probabilities.Length; i++)
            score += probabilities[i] * TierMidpoints[i];
        return score;
    }

    /// <summary>
    /// Weight × value of each feature for one tier of a linear model, largest magnitude first.
    /// The bias is left out: it is the same for every video.
    /// </summary>
    public static IReadOnlyList<FeatureContribution> Contributions(
        IReadOnlyList<string> featureNames, ReadOnlySpan<float> features, IReadOnlyList<float> tierWeights)
    {
        if (featureNames.Count != features.Length || tierWeights.Count != features.Length)
            throw new ArgumentException("Feature names, values and weights must have the same length.");
        var result = new FeatureContribution[features.Length];
        for (var i = 0; i < features.Length; i++)
            result[i] = new FeatureContribution(featureNames[i], features[i], tierWeights[i], (double)tierWeights[i] * features[i]);
        return result.OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToArray();
    }
}
