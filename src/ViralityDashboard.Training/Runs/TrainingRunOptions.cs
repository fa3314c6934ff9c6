namespace ViralityDashboard.Training.Runs;

/// <summary>Settings every model kind's runs have (bound within each kind's section).</summary>
/// <param name="timeBudgetSeconds">The kind's default <see cref="TimeBudgetSeconds"/>.</param>
public abstract class TrainingRunOptions(int timeBudgetSeconds)
{
    /// <summary>Share of the rows held out as the test side (0.2).</summary>
    public double TestFraction { get; set; } = 0.2;

    /// <summary>Seed of the split and the trainers (42).</summary>
    public int Seed { get; set; } = 42;

    /// <summary>k of the k-fold cross-validation; 0 skips it.</summary>
    public int CrossValidationFolds { get; set; } = 5;

    /// <summary>A run taking longer is cancelled and recorded as failed.</summary>
    public int TimeBudgetSeconds { get; set; } = timeBudgetSeconds;

    /// <summary>How stale the cached active version may be when another process activates a different one.</summary>
    public double ActiveModelRecheckSeconds { get; set; } = 2;

    /// <summary>The problems of the settings above, as validation messages.</summary>
    protected IEnumerable<string> ValidateRunSettings()
    {
        if (TestFraction is <= 0 or >= 1) yield return "TestFraction must be between 0 and 1.";
        if (TimeBudgetSeconds < 1) yield return "TimeBudgetSeconds must be at least 1.";
        if (ActiveModelRecheckSeconds < 0) yield return "ActiveModelRecheckSeconds cannot be negative.";
    }

    /// <summary>The message of each named choice that does not parse (its parser throws <see cref="ArgumentException"/>).</summary>
    protected static IEnumerable<string> Unparsable(params (string Name, Action Parse)[] choices)
    {
        foreach (var (name, parse) in choices)
        {
            string? error = null;
            try { parse(); } catch (ArgumentException e) { error = $"{name}: {e.Message}"; }
            if (error is not null) yield return error;
        }
    }
}
