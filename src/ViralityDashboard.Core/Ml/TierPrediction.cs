using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Ml;

/// <summary>A prediction as pages and the CLI show it.</summary>
/// <param name="Contributions">Linear model only: weight × value for the predicted tier, largest magnitude first; empty otherwise.</param>
public sealed record TierPrediction(int Tier, float[] Probabilities, double Score, IReadOnlyList<FeatureContribution> Contributions);

public static class TierPredictor
{
    public static TierPrediction Predict(TierModel model, FeatureSet featureSet, ReadOnlySpan<float> features)
    {
        if (model.FeatureCount != featureSet.Count)
            throw new ArgumentException($"The model takes {model.FeatureCount} features, set '{featureSet.Name}' has {featureSet.Count}.", nameof(featureSet));
        var probabilities = model.PredictProbabilities(features);
        var tier = Metrics.ArgMaxTier(probabilities);
        IReadOnlyList<FeatureContribution> contributions = model.LinearWeights is { } w
            ? ViralityScore.Contributions(featureSet.FeatureNames, features, w.Weights[tier - 1])
            : [];
        return new TierPrediction(tier, probabilities, ViralityScore.FromProbabilities(probabilities), contributions);
    }
}
