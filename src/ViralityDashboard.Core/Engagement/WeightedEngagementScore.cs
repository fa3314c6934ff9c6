using ViralityDashboard.Core.Videos;

namespace ViralityDashboard.Core.Engagement;

/// <summary>
/// Weights of the weighted engagement score (WES). Defaults 1, 2, 3, 2: a share or a save says more
/// about a video than a like. Bound from configuration by the Training layer.
/// </summary>
public sealed record WesWeights(double Likes = 1, double Comments = 2, double Shares = 3, double Saves = 2)
{
    public static WesWeights Default { get; } = new();
}

/// <summary>
/// WES = (likes·w1 + comments·w2 + shares·w3 + saves·w4) / views. Saves are estimated as likes × 0.15
/// when the source lacks them, as for the saveRate feature; zero views give 0. Unknown comments (turned off)
/// cannot be estimated: such videos are flagged and left out of labels and percentiles.
/// </summary>
public static class WeightedEngagementScore
{
    public static double Compute(ScrapedVideoRecord v, WesWeights? weights = null) =>
        Compute(v.Views, v.Likes, v.Comments ?? throw new ArgumentException($"Video {v.VideoId} has no comment count, which WES needs.", nameof(v)),
            v.Shares, FeatureExtractor.EffectiveSaves(v), weights);

    public static double Compute(long views, long likes, long comments, long shares, double saves, WesWeights? weights = null)
    {
        if (views <= 0)
            return 0;
        var w = weights ?? WesWeights.Default;
        return (likes * w.Likes + comments * w.Comments + shares * w.Shares + saves * w.Saves) / views;
    }
}
