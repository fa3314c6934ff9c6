namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own for the accessibility checks: the demo data, two engagement versions (so the Models page
/// offers a roll back and an activation) and a preference version, trained with the CLI before the browser opens. The
/// shared app's flows count their own versions, so these must not land there.
/// </summary>
public sealed class AccessibilityApp : IAsyncLifetime
{
    // The pages are under test, not the models: the fast trainer, the latest rows and no gate, so both runs are accepted.
    private static readonly Dictionary<string, string> FastTraining = new() { ["Virality__Training__GateMinimumAccuracy"] = "0" };

    public RunningApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        for (var i = 0; i < 2; i++)
            await App.RunCliAsync(["train", "--trainer", "lbfgs", "--rows", "latest"], FastTraining);
        await App.RunCliAsync(["train", "--kind", "preference"]);
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AccessibilityAppCollection : ICollectionFixture<AccessibilityApp>
{
    public const string Name = "running app with trained models for the accessibility checks";
}
