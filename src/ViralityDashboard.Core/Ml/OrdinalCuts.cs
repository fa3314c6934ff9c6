using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

/// <summary>
/// The ordinal form's link from a regression score on the tier scale to tiers: tier t is the score interval
/// (Cuts[t − 2], Cuts[t − 1]]. Probabilities are a soft version of that, p(t) ∝ exp(−distance(score, interval t) / Spread),
/// so their arg max is always the interval's tier, and a score near a cut shares its mass with the neighbour.
/// </summary>
/// <param name="Cuts">Four increasing cut points between tiers 1|2, 2|3, 3|4, 4|5.</param>
/// <param name="Spread">Scale of the soft assignment: the regression's residual spread on the validation rows.</param>
public sealed record OrdinalCuts(float[] Cuts, float Spread)
{
    private const int Passes = 3;
    private const int Steps = 24;

    public int Tier(float score)
    {
        var t = 1;
        while (t <= Cuts.Length && score > Cuts[t - 1])
            t++;
        return t;
    }

    public void Probabilities(float score, Span<float> p)
    {
        float sum = 0;
        for (var t = 1; t <= TierModel.TierCount; t++)
        {
            var low = t == 1 ? float.NegativeInfinity : Cuts[t - 2];
            var high = t == TierModel.TierCount ? float.PositiveInfinity : Cuts[t - 1];
            var distance = score < low ? low - score : score > high ? score - high : 0f;
            p[t - 1] = MathF.Exp(-distance / Spread);
            sum += p[t - 1];
        }
        for (var t = 0; t < TierModel.TierCount; t++)
            p[t] /= sum;
    }

    /// <summary>
    /// Cuts that maximise macro-F1 of the scores' tiers against <paramref name="actual"/>: from the midpoints 1.5 … 4.5,
    /// each cut in turn tries <c>Steps</c> positions between its neighbours, for a few passes (coordinate ascent; a
    /// tie keeps the current cut, so it is deterministic).
    /// </summary>
    public static OrdinalCuts Learn(IReadOnlyList<float> scores, IReadOnlyList<int> actual)
    {
        if (scores.Count != actual.Count || scores.Count == 0)
            throw new ArgumentException("Cut points need one tier per score, and at least one.");
        var cuts = new float[] { 1.5f, 2.5f, 3.5f, 4.5f };
        var min = scores.Min() - 0.01f;
        var max = scores.Max() + 0.01f;
        var best = MacroF1(cuts, scores, actual);
        for (var pass = 0; pass < Passes; pass++)
            for (var j = 0; j < cuts.Length; j++)
            {
                var low = j == 0 ? Math.Min(min, cuts[0]) : cuts[j - 1];
                var high = j == cuts.Length - 1 ? Math.Max(max, cuts[^1]) : cuts[j + 1];
                var keep = cuts[j];
                for (var s = 1; s < Steps; s++)
                {
                    cuts[j] = low + (high - low) * s / Steps;
                    var f1 = MacroF1(cuts, scores, actual);
                    if (f1 > best)
                    {
                        best = f1;
                        keep = cuts[j];
                    }
                }
                cuts[j] = keep;
            }
        var residuals = scores.Select((s, i) => (double)(s - actual[i])).ToArray();
        var spread = Math.Sqrt(residuals.Sum(r => r * r) / residuals.Length);
        return new OrdinalCuts(cuts, (float)Math.Max(spread, 0.05));
    }

    private static double MacroF1(float[] cuts, IReadOnlyList<float> scores, IReadOnlyList<int> actual)
    {
        var o = new OrdinalCuts(cuts, 1);
        return Metrics.Evaluate(actual, scores.Select(o.Tier).ToArray()).MacroF1;
    }
}
