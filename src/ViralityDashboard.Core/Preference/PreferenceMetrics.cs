using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Preference;

/// <summary>Seed 003 §6.1's MetricSet on the 0–1 score scale.</summary>
public sealed record ErrorMetrics(int Count, double Mae, double Rmse, double R2);

public sealed record CrossValidationResult(int Folds, double MaeMean, double MaeStd, IReadOnlyList<double> FoldMaes);

[JsonConverter(typeof(JsonStringEnumConverter<MaeVerdict>))]
public enum MaeVerdict
{
    /// <summary>MAE &lt; 0.15.</summary>
    ProductionReady,
    /// <summary>0.15 ≤ MAE ≤ 0.20: continue training.</summary>
    Acceptable,
    /// <summary>MAE &gt; 0.20: needs more data or feature engineering.</summary>
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

/// <summary>Seed 003 §6.2's criteria table applied to test metrics.</summary>
public sealed record ModelVerdict(MaeVerdict Mae, R2Verdict R2, string Summary)
{
    public const double ProductionReadyMae = 0.15;
    public const double AcceptableMae = 0.20;
    public const double GoodR2 = 0.6;
    public const double ModerateR2 = 0.4;

    public static ModelVerdict Of(double mae, double r2)
    {
        var m = mae < ProductionReadyMae ? MaeVerdict.ProductionReady : mae <= AcceptableMae ? MaeVerdict.Acceptable : MaeVerdict.NeedsData;
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
        return new ModelVerdict(m, r, FormattableString.Invariant($"MAE {mae:0.000}: {maeText}; R² {r2:0.000}: {r2Text}."));
    }
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
