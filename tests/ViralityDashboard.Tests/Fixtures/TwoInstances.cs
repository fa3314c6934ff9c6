namespace ViralityDashboard.Tests.Fixtures;

/// <summary>
/// A team's deployment in small: two app processes, A and B, on one database of one PostgreSQL server, each with its own
/// HOME (two machines or containers behind a proxy). Each names its database sessions (<c>virality-a</c>,
/// <c>virality-b</c>), so the database says which one holds a lock.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    public const string Database = "virality";

    private TwoInstances(SharedServer shared) => Shared = shared;

    public SharedServer Shared { get; }
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;
    /// <summary>The database both use, for the test's own queries.</summary>
    public string ConnectionString => Shared.ConnectionString(Database);

    /// <param name="settings">Settings both instances get, beside the connection string and HOME.</param>
    public static async Task<TwoInstances> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var pair = new TwoInstances(await SharedServer.StartAsync());
        try
        {
            // One after the other: two first starts racing the migrations is another test's concern (ConcurrentFirstStartTests).
            pair.A = await pair.Shared.StartAppAsync(pair.Shared.Settings(Database, pair.Shared.NewHome(), "virality-a", settings));
            pair.B = await pair.Shared.StartAppAsync(pair.Shared.Settings(Database, pair.Shared.NewHome(), "virality-b", settings));
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings of a CLI verb on the same database.</summary>
    public Dictionary<string, string> CliSettings => Shared.Settings(Database, Shared.NewHome());

    public async ValueTask DisposeAsync()
    {
        if (A is not null)
            await A.DisposeAsync();
        if (B is not null)
            await B.DisposeAsync();
        await Shared.DisposeAsync();
    }
}
