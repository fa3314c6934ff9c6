namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own for the "before posting" flow: it trains a seed15 and a pre-posting version, which the
/// shared app's tests (that expect no pre-posting version, or one model only) must not see. Its auto search is
/// short so that a retrain ends in about a minute; the gates are the product's defaults.
/// </summary>
public sealed class PrePostingApp : IAsyncLifetime
{
    /// <summary>The auto trainer's search, in seconds: short, the test checks the flow, not the model's quality.</summary>
    public const string AutoSearchSeconds = "10";

    public RunningApp App { get; } = new(new Dictionary<string, string>
    {
        ["Virality__Training__AutoSearchSeconds"] = AutoSearchSeconds,
        // The product's default trainer: the one-click retrain is launched with it.
        ["Virality__Training__Trainer"] = "auto",
        // Room for the one-click run on a busy shared machine, where its fit and cross-validation can take minutes.
        ["Virality__Training__TimeBudgetSeconds"] = "900",
        // The product's seed15 gate (RunningApp lowers it for the shared app), so the Training page shows the defaults.
        ["Virality__Training__GateMinimumAccuracy"] = "0.6",
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PrePostingAppCollection : ICollectionFixture<PrePostingApp>
{
    public const string Name = "running app for the pre-posting flow";
}
