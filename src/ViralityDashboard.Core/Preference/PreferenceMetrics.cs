using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Preference;

/// <summary>Seed 003 §6.1's MetricSet on the 0–1 score scale.</summary>
public sealed record ErrorMetrics(int Count, double Mae, double Rmse, double R2);

public sealed record CrossValidationResult(int Folds, double MaeMean, double MaeStd, IReadOnlyList<double> FoldMaes);

[JsonConverter(typeof(JsonStringEnumConverter<MaeVerdict>))]
public enum MaeVerdict
{
    /// <summary>MAE &lt; 0.15 and the <see cref="VerdictRule"/> met.</summary>
    ProductionReady,
    /// <summary>0.15 ≤ MAE ≤ 0.20: continue training.</summary>
    Acceptable,
    /// <summary>MAE &gt; 0.20, or not below the mean baseline's: needs more data or feature engineering.</summary>
    NeedsData,
}

[JsonConverter(typeof(JsonStringEnumConverter<R2Verdict>))]
public enum R2Verdict
{
    /// <summary>R² &gt; 0.6.</summary>
    Good,
    /// <summary>0.4 ≤ R² ≤ 0.6: may need more features.</summary>
    Moderate,
    /// <summary>R² &lt; 0.4.</summary>
    Low,
}

/// <summary>
/// When a model may be called production ready, beyond seed 003 §6.2's MAE band: it must beat always predicting
/// the mean by a margin, and explain some of the variance. A pacing model at MAE 0.106 against the mean's 0.110
/// with R² 0.17 is in the "&lt; 0.15" band, yet barely better than the mean. Cross-project contract: bound from
/// <c>Virality:Preference:Verdict*</c> by the Training layer.
/// </summary>
/// <param name="MinimumBaselineGain">Production ready needs test MAE at least this fraction below the mean baseline's MAE (default 10 %).</param>
/// <param name="MinimumR2">Production ready needs test R² at least this (default 0.4, the seed's floor of "moderate").</param>
public sealed record VerdictRule(double MinimumBaselineGain = VerdictRule.DefaultMinimumBaselineGain, double MinimumR2 = ModelVerdict.ModerateR2)
{
    public const double DefaultMinimumBaselineGain = 0.10;

    public static VerdictRule Default { get; } = new();
}

/// <summary>
/// Seed 003 §6.2's criteria table applied to test metrics, with <see cref="VerdictRule"/> on top: a model that does
/// not beat the mean baseline needs more data; one in the "&lt; 0.15" band that misses the rule is only acceptable.
/// <see cref="Summary"/> reads on the 0–10 scale of the predictions.
/// </summary>
/// <param name="Rule">The rule applied; null in verdicts stored before the rule existed.</param>
/// <param name="Reasons">Why a model in the production-ready band is not called so; empty otherwise.</param>
public sealed record ModelVerdict(MaeVerdict Mae, R2Verdict R2, string Summary, VerdictRule? Rule = null, IReadOnlyList<string>? Reasons = null)
{
    public const double ProductionReadyMae = 0.15;
    public const double AcceptableMae = 0.20;
    public const double GoodR2 = 0.6;
    public const double ModerateR2 = 0.4;

    /// <summary>Scores are stored 0–1 and shown 0–10, as the predictor gives them.</summary>
    public const double DisplayScale = 10;

    public static ModelVerdict Of(double mae, double r2, double baselineMae, VerdictRule? rule = null)
    {
        rule ??= VerdictRule.Default;
        var band = mae < ProductionReadyMae ? MaeVerdict.ProductionReady : mae <= AcceptableMae ? MaeVerdict.Acceptable : MaeVerdict.NeedsData;
        var gain = baselineMae > 0 ? (baselineMae - mae) / baselineMae : 0;
        var reasons = new List<string>();
        if (mae >= baselineMae)
            reasons.Add(Invariant($"MAE {Points(mae)} does not beat the mean baseline's {Points(baselineMae)}"));
        else if (gain < rule.MinimumBaselineGain)
            reasons.Add(Invariant($"MAE {Points(mae)} is only {gain:0%} below the mean baseline's {Points(baselineMae)} (needs {rule.MinimumBaselineGain:0%})"));
        if (r2 < rule.MinimumR2)
            reasons.Add(Invariant($"R² {r2:0.000} is below {rule.MinimumR2:0.00}"));

        var m = mae >= baselineMae ? MaeVerdict.NeedsData
            : band == MaeVerdict.ProductionReady && reasons.Count > 0 ? MaeVerdict.Acceptable
            : band;
        var r = r2 > GoodR2 ? R2Verdict.Good : r2 >= ModerateR2 ? R2Verdict.Moderate : R2Verdict.Low;
        var maeText = m switch
        {
            MaeVerdict.ProductionReady => "production ready",
            MaeVerdict.Acceptable => "acceptable, continue training",
            _ => "needs more data or feature engineering",
        };
        var r2Text = r switch
        {
            R2Verdict.Good => "good predictive power",
            R2Verdict.Moderate => "moderate, may need more features",
            _ => "low predictive power",
        };
        var why = band == MaeVerdict.ProductionReady && m != MaeVerdict.ProductionReady ? $" (not production ready: {string.Join("; ", reasons)})" : "";
        return new ModelVerdict(m, r, Invariant($"MAE {Points(mae)}: {maeText}{why}; R² {r2:0.000}: {r2Text}."), rule,
            band == MaeVerdict.ProductionReady ? reasons : []);
    }

    /// <summary>A 0–1 error as the 0–10 points it means to the owner.</summary>
    public static string Points(double value) => (value * DisplayScale).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}

/// <summary>Predicted minus actual; positive means the model liked the video more than the owner did.</summary>
public sealed record PredictionError(string RowId, double Actual, double Predicted, double Error);

/// <summary>Seed 003 §6.3: rows whose |error| exceeds the threshold, largest first; notes are looked up by row id.</summary>
public sealed record ErrorAnalysis(double Threshold, IReadOnlyList<PredictionError> Overestimated, IReadOnlyList<PredictionError> Underestimated);

public static class PreferenceMetrics
{
    public const double DefaultErrorThreshold = 0.2;

    /// <summary>MAE, RMSE and R² (1 − SSres/SStot; with constant actuals 1 when exact, else 0, as scikit-learn).</summary>
    public static ErrorMetrics Evaluate(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        if (actual.Count != predicted.Count)
            throw new ArgumentException("Actual and predicted differ in length.");
        var n = actual.Count;
        if (n == 0)
            return new ErrorMetrics(0, 0, 0, 0);
        var mean = actual.Average();
        double abs = 0, squared = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            var e = predicted[i] - actual[i];
            abs += Math.Abs(e);
            squared += e * e;
            total += (actual[i] - mean) * (actual[i] - mean);
        }

        var r2 = total > 0 ? 1 - squared / total : squared == 0 ? 1 : 0;
        return new ErrorMetrics(n, abs / n, Math.Sqrt(squared / n), r2);
    }

    /// <summary>Always predicting the training mean: the baseline every candidate must beat.</summary>
    public static ErrorMetrics MeanBaseline(IReadOnlyList<double> trainTarget, IReadOnlyList<double> testTarget)
    {
        var mean = trainTarget.Count == 0 ? 0 : trainTarget.Average();
        return Evaluate(testTarget, Enumerable.Repeat(mean, testTarget.Count).ToArray());
    }

    public static ErrorAnalysis AnalyzeErrors(
        IReadOnlyList<string> rowIds,
        IReadOnlyList<double> actual,
        IReadOnlyList<double> predicted,
        double threshold = DefaultErrorThreshold)
    {
        var errors = rowIds.Select((id, i) => new PredictionError(id, actual[i], predicted[i], predicted[i] - actual[i])).ToArray();
        return new ErrorAnalysis(
            threshold,
            errors.Where(e => e.Error > threshold).OrderByDescending(e => e.Error).ThenBy(e => e.RowId, StringComparer.Ordinal).ToArray(),
            errors.Where(e => e.Error < -threshold).OrderBy(e => e.Error).ThenBy(e => e.RowId, StringComparer.Ordinal).ToArray());
    }

    /// <summary>Population standard deviation, as numpy's <c>std</c> in the seed's script.</summary>
    public static double PopulationStd(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
            return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
