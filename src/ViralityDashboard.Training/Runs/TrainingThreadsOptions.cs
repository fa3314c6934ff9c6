namespace ViralityDashboard.Training.Runs;

/// <summary>
/// How many threads training may use, both kinds together; section <c>Virality:Training</c> (environment
/// <c>Virality__Training__MaxTrainingThreads</c>).
/// </summary>
public sealed class TrainingThreadsOptions
{
    public const string Section = "Virality:Training";

    /// <summary>
    /// Dedicated threads that fit models and cross-validate; 0 (the default) means one fewer than the cores, at
    /// least 1, so a retrain always leaves a core to the requests and the pages. At most the number of cores.
    /// </summary>
    public int MaxTrainingThreads { get; set; }

    /// <summary>
    /// Run the training threads at a lower scheduling priority (on Linux 10 nicer than the process itself, at most 19), so a request or a page that wants a
    /// core busy with training gets it first; a retrain then takes longer only while requests keep the cores busy.
    /// </summary>
    public bool LowPriority { get; set; } = true;

    /// <summary>The configured count, or the default for this machine.</summary>
    public int EffectiveThreads => MaxTrainingThreads > 0 ? MaxTrainingThreads : DefaultThreads(Environment.ProcessorCount);

    public static int DefaultThreads(int cores) => Math.Max(1, cores - 1);

    internal static IEnumerable<string> Validate(TrainingThreadsOptions o)
    {
        if (o.MaxTrainingThreads < 0 || o.MaxTrainingThreads > Environment.ProcessorCount)
            yield return $"MaxTrainingThreads must be between 1 and the {Environment.ProcessorCount} cores of this machine (0: one fewer than the cores, at least 1).";
    }
}
