using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ViralityDashboard.Diagnostics;
using ViralityDashboard.Tests.Fixtures;

namespace ViralityDashboard.Tests.Diagnostics;

/// <summary>The slow-request log and the Server-Timing header, on a small web app in this process and on the real app.</summary>
public sealed partial class SlowRequestLogTests
{
    private static async Task<WebApplication> StartAsync(int thresholdMs, ConcurrentQueue<string> logged)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Virality:SlowRequests:ThresholdMs"] = thresholdMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Logging.ClearProviders().AddProvider(new QueueLoggerProvider(logged));
        builder.AddSlowRequestLog();
        var app = builder.Build();
        app.UseSlowRequestLog();
        app.UseWebSockets();
        app.MapGet("/slow", async () => { await Task.Delay(80); return "done"; });
        // A Blazor circuit's WebSocket lives as long as its tab: held open past the threshold, then closed.
        app.Map("/socket", async (Microsoft.AspNetCore.Http.HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await Task.Delay(80);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        });
        app.MapGet("/fast", () => "done");
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task ARequestOverTheThresholdIsLoggedWithWhereItsTimeWentAndAFasterOneIsNot()
    {
        var logged = new ConcurrentQueue<string>();
        await using var app = await StartAsync(50, logged);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("done", await http.GetStringAsync("/fast"));
        Assert.Equal("done", await http.GetStringAsync("/slow"));

        var line = Assert.Single(logged, l => l.Contains("Slow request", StringComparison.Ordinal));
        Assert.Matches(@"Slow request: GET /slow took \d+ ms \(200\): database 0 ms in 0 commands, garbage collection paused \d+ ms", line);
        Assert.Contains("ready threads ran up to", line);
        Assert.Contains("thread-pool work waited up to", line);
    }

    [Fact]
    public async Task ALongLivedWebSocketIsNotLoggedAsASlowRequest()
    {
        var logged = new ConcurrentQueue<string>();
        await using var app = await StartAsync(50, logged);
        using var socket = new System.Net.WebSockets.ClientWebSocket();

        await socket.ConnectAsync(new Uri(app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/socket"), CancellationToken.None);
        var received = await socket.ReceiveAsync(new byte[16], CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Close, received.MessageType);
        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Assert.Equal("done", await http.GetStringAsync("/slow"));
        await app.StopAsync();

        var line = Assert.Single(logged, l => l.Contains("Slow request", StringComparison.Ordinal));
        Assert.Contains("GET /slow ", line);
    }

    [Fact]
    public async Task EveryAnswerSaysTheServersOwnTimeInServerTiming()
    {
        await using var app = await StartAsync(1000, new ConcurrentQueue<string>());
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync("/slow");

        var timing = ServerTiming(response);
        Assert.True(timing.App >= 75, $"the server's time includes the endpoint's 80 ms: {timing.App} ms");
        Assert.Equal(0, timing.Db);
    }

    [Fact]
    public async Task ThresholdZeroTurnsTheLogAndTheHeaderOff()
    {
        var logged = new ConcurrentQueue<string>();
        await using var app = await StartAsync(0, logged);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync("/slow");

        Assert.False(response.Headers.Contains("Server-Timing"));
        Assert.DoesNotContain(logged, l => l.Contains("Slow request", StringComparison.Ordinal));
    }

    internal static (double App, double Db) ServerTiming(HttpResponseMessage response)
    {
        var header = string.Join(",", response.Headers.GetValues("Server-Timing"));
        var match = ServerTimingFormat().Match(header);
        Assert.True(match.Success, $"Server-Timing: {header}");
        return (double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^app;dur=([0-9.]+), db;dur=([0-9.]+)$")]
    private static partial Regex ServerTimingFormat();

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(lines);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}

/// <summary>The real app: a database-backed answer counts its commands' time.</summary>
[Collection(RunningAppCollection.Name)]
public sealed class ServerTimingTests(RunningApp app)
{
    [Fact]
    public async Task AnApiAnswerThatQueriesTheDatabaseSaysItsDatabaseTime()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", app.ApiKey);

        using var response = await http.GetAsync($"/api/runs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var timing = SlowRequestLogTests.ServerTiming(response);
        Assert.True(timing.Db > 0, $"the run lookup is a database command: db;dur={timing.Db}");
        Assert.True(timing.App >= timing.Db, $"app;dur={timing.App} covers db;dur={timing.Db}");
    }
}
