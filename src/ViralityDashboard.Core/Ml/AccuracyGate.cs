namespace ViralityDashboard.Core.Ml;

/// <summary>
/// When a trained candidate may become the active model. Bound from configuration by the Training layer.
/// </summary>
/// <param name="MinimumAccuracy">Test accuracy a candidate needs; 0.60 as seed 002's gate.</param>
/// <param name="MaximumRegression">How much worse than the active version, on the same test rows, a candidate may be.</param>
/// <param name="MacroF1">When set, the macro-F1 gate replaces the accuracy rules (pre-posting versions by default).</param>
public sealed record GateOptions(double MinimumAccuracy = 0.60, double MaximumRegression = 0.02, MacroF1GateOptions? MacroF1 = null);

/// <summary>
/// The gate of models that cannot reach the accuracy threshold by nature (pre-posting features know no views): they
/// must beat guessing by a margin, and not fall below the active version of their feature set.
/// </summary>
/// <param name="MinimumLift">Test macro-F1 must exceed the stratified-random baseline's by at least this much.</param>
/// <param name="MaximumRegression">How much lower than the active version's macro-F1 on the same test rows it may be (0: not below).</param>
public sealed record MacroF1GateOptions(double MinimumLift = 0.05, double MaximumRegression = 0);

/// <summary>What the gate looks at. The active figures are measured on the candidate's test rows.</summary>
public sealed record GateInput(double CandidateAccuracy, double MajorityBaselineAccuracy, double? ActiveAccuracyOnSameRows = null, string? ActiveVersion = null,
    double? CandidateMacroF1 = null, double? StratifiedRandomMacroF1 = null, double? ActiveMacroF1OnSameRows = null)
{
    /// <summary>Which figures the candidate's are: "Served" (test videos as first seen, tier as matured) or "Test".</summary>
    public string Figure { get; init; } = "Test";

    /// <summary>Set for point-in-time runs: the growth baseline's macro-F1, which the candidate's must beat.</summary>
    public double? GrowthMacroF1 { get; init; }
}

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
        if (options.MacroF1 is { } macro)
            return EvaluateMacroF1(input, macro);
        var failed = new List<string>();
        var passed = new List<string>();

        var a = input.CandidateAccuracy;
        if (a >= options.MinimumAccuracy)
            passed.Add($"{input.Figure} accuracy {Percent.Of(a)} meets the {Percent.Of(options.MinimumAccuracy)} gate.");
        else
            failed.Add($"{input.Figure} accuracy {Percent.Of(a)} is below the {Percent.Of(options.MinimumAccuracy)} gate.");

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
        Growth(input, failed, passed);

        return new GateDecision(failed.Count == 0, [.. failed, .. passed]);
    }

    /// <summary>Two rules, both required: macro-F1 ≥ the stratified-random baseline's + the lift; not below the active version's by more than the margin.</summary>
    private static GateDecision EvaluateMacroF1(GateInput input, MacroF1GateOptions options)
    {
        var f1 = input.CandidateMacroF1 ?? throw new ArgumentException("The macro-F1 gate needs the candidate's macro-F1.", nameof(input));
        var random = input.StratifiedRandomMacroF1 ?? throw new ArgumentException("The macro-F1 gate needs the stratified-random baseline's macro-F1.", nameof(input));
        var failed = new List<string>();
        var passed = new List<string>();
        var needed = random + options.MinimumLift;
        // Rounded as shown, so a candidate never fails on a difference the message cannot show.
        if (Math.Round(f1, 4) >= Math.Round(needed, 4))
            passed.Add($"{input.Figure} macro-F1 {f1:0.0000} beats the stratified-random baseline ({random:0.0000}) by at least {options.MinimumLift:0.00} (needs {needed:0.0000}).");
        else
            failed.Add($"{input.Figure} macro-F1 {f1:0.0000} does not beat the stratified-random baseline ({random:0.0000}) by {options.MinimumLift:0.00} (needs {needed:0.0000}).");

        if (input.ActiveMacroF1OnSameRows is { } active)
        {
            var name = input.ActiveVersion is null ? "the active version" : $"active version {input.ActiveVersion}";
            if (f1 >= active - options.MaximumRegression)
                passed.Add($"Macro-F1 not below {name} ({active:0.0000} on the same test rows){(options.MaximumRegression > 0 ? $" by more than {options.MaximumRegression:0.00}" : "")}.");
            else
                failed.Add($"Macro-F1 below {name} on the same test rows: {f1:0.0000} vs {active:0.0000}{(options.MaximumRegression > 0 ? $", more than the allowed {options.MaximumRegression:0.00}" : "")}.");
        }
        else
        {
            passed.Add("No active version of this feature set to compare with.");
        }
        Growth(input, failed, passed);
        return new GateDecision(failed.Count == 0, [.. failed, .. passed]);
    }

    /// <summary>A point-in-time candidate must beat views at observation × typical growth, or it adds nothing a rule could not.</summary>
    private static void Growth(GateInput input, List<string> failed, List<string> passed)
    {
        if (input.GrowthMacroF1 is not { } growth)
            return;
        var f1 = input.CandidateMacroF1 ?? throw new ArgumentException("The growth rule needs the candidate's macro-F1.", nameof(input));
        if (Math.Round(f1, 4) > Math.Round(growth, 4))
            passed.Add($"{input.Figure} macro-F1 {f1:0.0000} beats the growth baseline's ({growth:0.0000}).");
        else
            failed.Add($"{input.Figure} macro-F1 {f1:0.0000} does not beat the growth baseline's ({growth:0.0000}): views at observation × typical growth predict as well.");
    }
}
