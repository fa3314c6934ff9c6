using System.Text;
using System.Text.Json;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Cli;

/// <summary>The import verb as an operator runs it beside the dashboard: what it says, and its exit code, when the file is wrong.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class ImportVerbTests(RunningApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("virality-import-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ADirectoryGivenAsTheFileIsCalledADirectory()
    {
        var (exitCode, _, errors) = await app.RunCliForExitCodeAsync(["import", _folder]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{_folder} is a directory", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailingContentAfterTheJsonIsAFileErrorAndWritesNothing()
    {
        var file = Path.Combine(_folder, "trailing.json");
        const string item = """{"id":"7600000000000000001","text":"x","createTime":1735725600,"playCount":5,"diggCount":1,"shareCount":0,"commentCount":0}""";
        await File.WriteAllTextAsync(file, "{\"collector\":[" + item + "]}\n,\"oops\"", new UTF8Encoding(false));
        var before = await VideoCountAsync();

        var (exitCode, _, errors) = await app.RunCliForExitCodeAsync(["import", file]);

        Assert.Equal(2, exitCode);
        Assert.Contains("line 2, byte 1", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.Equal(before, await VideoCountAsync());
    }

    private async Task<long> VideoCountAsync()
    {
        using var stats = JsonDocument.Parse((await app.RunCliAsync(["stats", "--json"])).Trim().Split('\n')[^1]);
        return stats.RootElement.GetProperty("videos").GetInt64();
    }
}
