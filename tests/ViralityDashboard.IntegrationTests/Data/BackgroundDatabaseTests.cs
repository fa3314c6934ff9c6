using Npgsql;
using ViralityDashboard.Data;
using ViralityDashboard.IntegrationTests.Fixtures;

namespace ViralityDashboard.IntegrationTests.Data;

[Collection(PostgresCollection.Name)]
public sealed class BackgroundDatabaseTests(PostgresFixture postgres)
{
    [Fact]
    public async Task OnTheEmbeddedClusterBackgroundBackendsRunAtNice10AndTheOthersAtNormalPriority()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using var background = new BackgroundDatabase(new DatabaseEndpoint(db.ConnectionString, IsEmbedded: true));

        await using var first = await background.OpenConnectionAsync();
        await using var second = await background.OpenConnectionAsync();
        await using var request = await db.Get<NpgsqlDataSource>().OpenConnectionAsync();

        Assert.True(background.LowersBackendPriority);
        Assert.Equal([BackgroundDatabase.Nice, BackgroundDatabase.Nice], [Nice(first.ProcessID), Nice(second.ProcessID)]);
        Assert.Equal(0, Nice(request.ProcessID));
    }

    [Fact]
    public async Task AConfiguredServersBackendsKeepTheirPriority()
    {
        await using var db = await postgres.CreateDatabaseAsync();
        await using var background = new BackgroundDatabase(new DatabaseEndpoint(db.ConnectionString, IsEmbedded: false));

        await using var conn = await background.OpenConnectionAsync();

        Assert.False(background.LowersBackendPriority);
        Assert.Equal(0, Nice(conn.ProcessID));
    }

    /// <summary>The nice value of a process, from the 19th field of /proc/PID/stat (after the parenthesized name).</summary>
    private static int Nice(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }
}
