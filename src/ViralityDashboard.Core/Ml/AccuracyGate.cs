namespace ViralityDashboard.Core.Ml;

/// <summary>
/// When a trained candidate may become the active model. Bound from configuration by the Training layer.
/// </summary>
/// <param name="MinimumAccuracy">Test accuracy a candidate needs; 0.60 as seed 002's gate.</param>
/// <param name="MaximumRegression">How much worse than the active version, on the same test rows, a candidate may be.</param>
public sealed record GateOptions(double MinimumAccuracy = 0.60, double MaximumRegression = 0.02);

/// <summary>What the gate looks at. The active accuracy is measured on the candidate's test rows.</summary>
public sealed record GateInput(double CandidateAccuracy, double MajorityBaselineAccuracy, double? ActiveAccuracyOnSameRows = null, string? ActiveVersion = null);

public sealed record GateDecision(bool Accepted, IReadOnlyList<string> Reasons);

/// <summary>
/// Three rules, all required: accuracy ≥ the threshold; strictly better than always predicting the
/// most frequent tier; and, when a version is active, not worse than it by more than the margin.
/// Every rule's outcome is listed, failed ones first.
/// </summary>
public static class AccuracyGate
{
    public static GateDecision Evaluate(GateInput input, GateOptions? options = null)
    {
        options ??= new GateOptions();
        var failed = new List<string>();
        var passed = new List<string>();

        var a = input.CandidateAccuracy;
        if (a >= options.MinimumAccuracy)
            passed.Add($"Test accuracy {Percent.Of(a)} meets the {Percent.Of(options.MinimumAccuracy)} gate.");
        else
            failed.Add($"Test accuracy {Percent.Of(a)} is below the {Percent.Of(options.MinimumAccuracy)} gate.");

        if (a > input.MajorityBaselineAccuracy)
            passed.Add($"Beats the majority-class baseline ({Percent.Of(input.MajorityBaselineAccuracy)}).");
        else
            failed.Add($"Does not beat the majority-class baseline ({Percent.Of(a)} vs {Percent.Of(input.MajorityBaselineAccuracy)}).");

        if (input.ActiveAccuracyOnSameRows is { } active)
        {
            var name = input.ActiveVersion is null ? "the active version" : $"active version {input.ActiveVersion}";
            if (a >= active - options.MaximumRegression)
                passed.Add($"Not worse than {name} ({Percent.Of(active)} on the same test rows) by more than {Percent.Of(options.MaximumRegression)}.");
            else
                failed.Add($"Worse than {name} on the same test rows: {Percent.Of(a)} vs {Percent.Of(active)}, more than the allowed {Percent.Of(options.MaximumRegression)}.");
        }
        else
        {
            passed.Add("No active version to compare with.");
        }

        return new GateDecision(failed.Count == 0, [.. failed, .. passed]);
    }
}
