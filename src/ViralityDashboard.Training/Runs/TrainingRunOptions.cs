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
}
