using Microsoft.Extensions.Options;
using ViralityDashboard.IntegrationTests.Fixtures;
using ViralityDashboard.Training.Runs;

namespace ViralityDashboard.IntegrationTests.Training.Runs;

public sealed class TrainingThreadsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task DefaultsToOneFewerThreadThanTheCoresAndAtLeastOne()
    {
        await using var db = await postgres.CreateDatabaseAsync();

        var threads = db.Get<TrainingThreads>();

        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), threads.MaximumConcurrencyLevel);
        Assert.Equal(threads.MaximumConcurrencyLevel, threads.Parallelism.MaxDegree);
        Assert.Equal([1, 1, 1, 7], new[] { 0, 1, 2, 8 }.Select(TrainingThreadsOptions.DefaultThreads));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100_000)]
    public async Task RefusesANegativeCountOrMoreThreadsThanCores(int threads)
    {
        await using var db = await postgres.CreateDatabaseAsync(new Dictionary<string, string?> { ["Virality:Training:MaxTrainingThreads"] = threads.ToString() });

        var error = Assert.Throws<OptionsValidationException>(() => db.Get<IOptions<TrainingThreadsOptions>>().Value);

        Assert.Contains("MaxTrainingThreads", error.Message);
    }

    /// <summary>
    /// Relative to the process's own nice: a process started under <c>nice -n 10</c> (a test run, a batch host) has request
    /// threads at 10 already, and an absolute 10 for training would make them equal.
    /// </summary>
    [Fact]
    public async Task TrainingThreadsYieldTheCoreToRequestThreads()
    {
        using var threads = new TrainingThreads(1);
        using var normal = new TrainingThreads(1, lowPriority: false);

        var (training, request, configuredOff) = (await threads.Run(NiceOfThisThread), await Task.Run(NiceOfThisThread), await normal.Run(NiceOfThisThread));

        // Linux: the process's nice is its main thread's (/proc/self/stat); elsewhere .NET's thread priority stands in.
        var process = OperatingSystem.IsLinux() ? NiceOf("/proc/self/stat") : 0;
        Assert.Equal((Math.Min(process + 10, 19), process, process), (training, request, configuredOff));
    }

    /// <summary>Linux: field 19 of /proc/thread-self/stat, counted after the command name (which may hold spaces).</summary>
    private static int NiceOfThisThread() =>
        OperatingSystem.IsLinux() ? NiceOf("/proc/thread-self/stat") : Thread.CurrentThread.Priority == ThreadPriority.BelowNormal ? 10 : 0;

    private static int NiceOf(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
