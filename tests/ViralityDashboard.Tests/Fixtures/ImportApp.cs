namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A running app of its own for the push-import tests: no demo data (imports start from an empty table) and a small
/// import limit (4 MiB, above the largest real file) so that the 413 tests need not send a gigabyte. An import waits 20 s
/// for its turn, not 120: long enough for the large concurrent imports, short enough for the test that waits it out.
/// </summary>
public sealed class ImportApp : IAsyncLifetime
{
    public const long MaxImportBytes = 4 * 1024 * 1024;

    public RunningApp App { get; } = new(new Dictionary<string, string>
    {
        ["Virality__SeedDemoData"] = "false",
        ["Virality__Api__MaxImportBytes"] = MaxImportBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Virality__Import__WaitSeconds"] = "20",
    });

    public Task InitializeAsync() => App.InitializeAsync();

    public Task DisposeAsync() => App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ImportAppCollection : ICollectionFixture<ImportApp>
{
    public const string Name = "running app for push imports";
}
