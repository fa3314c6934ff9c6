using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Core.Ml;

/// <summary>A prediction as pages and the CLI show it.</summary>
/// <param name="Contributions">Each feature's part of the predicted tier's score (see <paramref name="Explanation"/>), largest magnitude first.</param>
/// <param name="Explanation">Base value, score and which score it is; null when the model form has no explainer (then <paramref name="NoExplanationReason"/> says why).</param>
public sealed record TierPrediction(
    int Tier, float[] Probabilities, double Score, IReadOnlyList<FeatureContribution> Contributions,
    TierExplanation? Explanation = null, string? NoExplanationReason = null);

public static class TierPredictor
{
    public static TierPrediction Predict(TierModel model, FeatureSet featureSet, ReadOnlySpan<float> features)
    {
        if (model.FeatureCount != featureSet.Count)
            throw new ArgumentException($"The model takes {model.FeatureCount} features, set '{featureSet.Name}' has {featureSet.Count}.", nameof(featureSet));
        var probabilities = model.PredictProbabilities(features);
        var tier = Metrics.ArgMaxTier(probabilities);
        TierExplanation explanation;
        try
        {
            explanation = model.Explain(features, tier);
        }
        catch (NotSupportedException e)
        {
            // A model form added without an explainer still predicts; the page and the API say why there are no factors.
            return new TierPrediction(tier, probabilities, ViralityScore.FromProbabilities(probabilities), [], null, e.Message);
        }
        var weights = model.LinearWeights?.Weights[tier - 1];
        var contributions = new FeatureContribution[features.Length];
        for (var i = 0; i < features.Length; i++)
            contributions[i] = new FeatureContribution(featureSet.FeatureNames[i], features[i], weights?[i], explanation.Contributions[i]);
        var ordered = contributions.OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToArray();
        return new TierPrediction(tier, probabilities, ViralityScore.FromProbabilities(probabilities), ordered, explanation);
    }
}
