using MudBlazor;
using ViralityDashboard.Core.Preference;

namespace ViralityDashboard.Components.Shared;

/// <summary>How pages name the preference model's enums (milestones, triggers, significance, expectations).</summary>
public static class PreferenceFormat
{
    public static string Milestone(PreferenceMilestone? m) => m switch
    {
        null => "—",
        PreferenceMilestone.None => "none",
        PreferenceMilestone.Correlation => "correlation",
        PreferenceMilestone.FirstModel => "first model",
        PreferenceMilestone.Retrain => "retrain",
        PreferenceMilestone.ModelComparison => "model comparison",
        _ => m.ToString()!,
    };

    public static string Trigger(RetrainTriggerKind kind) => kind switch
    {
        RetrainTriggerKind.NewRatings => "new ratings",
        RetrainTriggerKind.PerformanceDegradation => "MAE degradation",
        RetrainTriggerKind.FeatureDrift => "feature drift",
        _ => kind.ToString(),
    };

    public static string Model(PreferenceModelKind? kind) => kind switch
    {
        null => "—",
        PreferenceModelKind.Ridge => "ridge",
        PreferenceModelKind.RandomForest => "random forest",
        PreferenceModelKind.LightGbm => "LightGBM",
        _ => kind.ToString()!,
    };

    public static Color SignificanceColor(Significance level) => level switch
    {
        Significance.High => Color.Success,
        Significance.Medium => Color.Info,
        Significance.Low => Color.Warning,
        _ => Color.Default,
    };

    public static string Expectation(ExpectationOutcome outcome) => outcome switch
    {
        ExpectationOutcome.Confirmed => "confirmed",
        ExpectationOutcome.NotSignificant => "right sign, not significant",
        ExpectationOutcome.Contradicted => "contradicted",
        ExpectationOutcome.WrongSignNotSignificant => "wrong sign, not significant",
        ExpectationOutcome.Missing => "not analysed",
        _ => outcome.ToString(),
    };

    public static Color ExpectationColor(ExpectationOutcome outcome) => outcome switch
    {
        ExpectationOutcome.Confirmed => Color.Success,
        ExpectationOutcome.Contradicted => Color.Error,
        ExpectationOutcome.Missing => Color.Default,
        _ => Color.Warning,
    };

    public static string Verdict(R2Verdict v) => v switch { R2Verdict.Good => "R² good", R2Verdict.Moderate => "R² moderate", _ => "R² low" };

    /// <summary>A p-value as people read it: three decimals, or "&lt; 0.001".</summary>
    public static string PValue(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    public static string Verdict(MaeVerdict v) => v switch { MaeVerdict.ProductionReady => "production ready", MaeVerdict.Acceptable => "acceptable", _ => "needs data" };

    /// <summary>Seed 003 §6.2's criteria, for the table beside a verdict.</summary>
    public static Color VerdictColor(MaeVerdict v) => v switch { MaeVerdict.ProductionReady => Color.Success, MaeVerdict.Acceptable => Color.Info, _ => Color.Warning };

    public static Color VerdictColor(R2Verdict v) => v switch { R2Verdict.Good => Color.Success, R2Verdict.Moderate => Color.Info, _ => Color.Warning };

    /// <summary>
    /// A preference error (MAE, RMSE; stored on the 0–1 score scale) on the 0–10 scale the predictor and the Rate
    /// page use, with 2 decimals: 0.106 reads 1.06 points.
    /// </summary>
    public static string Points(double? value) => value is { } v ? ModelVerdict.Points(v) : "—";

    /// <summary>The rule behind "production ready", in words.</summary>
    public static string Rule(VerdictRule? rule)
    {
        rule ??= VerdictRule.Default;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Production ready: test MAE below {ModelVerdict.Points(ModelVerdict.ProductionReadyMae)}, at least {rule.MinimumBaselineGain:0%} below the mean baseline's MAE, and R² at least {rule.MinimumR2:0.00}. A model whose MAE does not beat the mean baseline needs more data.");
    }

    /// <summary>A signed figure with 3 decimals (+0.690, −0.580).</summary>
    public static string Signed(double value) => (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}
