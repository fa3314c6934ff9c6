using System.Net;
using System.Net.Sockets;
using ViralityDashboard.DemoAndBenchmarks.Benchmarks;

namespace ViralityDashboard.DemoAndBenchmarks.Tests.Benchmarks;

/// <summary>bench-serve's wrk client against a small local server: its figures, its stop, and the answers it refuses to time.</summary>
public sealed class WrkLoadTests : IDisposable
{
    private readonly HttpListener _server = new();
    private readonly DirectoryInfo _scripts = Directory.CreateTempSubdirectory("wrk-load-tests-");
    private readonly string _url;
    private readonly string _script;
    private volatile int _status = 200;
    private string? _cookieSeen, _keySeen, _requestSeen;

    public WrkLoadTests()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/";
        _server.Prefixes.Add(_url);
        _server.Start();
        _ = Task.Run(async () =>
        {
            while (_server.IsListening)
            {
                HttpListenerContext context;
                try { context = await _server.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _cookieSeen = context.Request.Headers["Cookie"];
                _keySeen = context.Request.Headers["X-Api-Key"];
                _requestSeen = $"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}";
                context.Response.StatusCode = _status;
                var body = "ok"u8.ToArray();
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
        _script = WrkLoad.WriteScript(_scripts.FullName);
    }

    private static string Wrk => WrkLoad.Find() ?? throw new InvalidOperationException("wrk is not on PATH: apt-get install wrk (.ci/run does this).");

    [Fact]
    public async Task AFixedLoadReportsItsRequestsAndLatenciesWithTheCookieSent()
    {
        using var load = WrkLoad.Start(Wrk, "/page", _url + "page", 2, _script, 1, WrkLoad.PageEnvironment("session=abc"));

        var figures = await load.WaitAsync(CancellationToken.None);

        Assert.True(figures.Requests > 0);
        Assert.InRange(figures.Seconds, 0.5, 5);
        Assert.True(figures.P50Ms > 0 && figures.P50Ms <= figures.P99Ms && figures.P99Ms <= figures.MaxMs, $"{figures}");
        Assert.Equal("session=abc", _cookieSeen);
        Assert.Equal("GET /page", _requestSeen);
    }

    [Fact]
    public async Task AnOpenEndedPredictLoadStopsOnRequestAndStillReports()
    {
        using var load = WrkLoad.Start(Wrk, "predict", _url, 4, _script, null, WrkLoad.PredictEnvironment("test-key"));
        await Task.Delay(1500);

        var figures = await load.StopAsync(CancellationToken.None);

        Assert.True(figures.Requests > 0);
        Assert.InRange(figures.Seconds, 0.5, 20); // stopped, not its day-long duration
        Assert.Equal("POST /api/predict", _requestSeen);
        Assert.Equal("test-key", _keySeen);
    }

    [Fact]
    public async Task AnswersThatAreNotOkAreRefusedNotTimed()
    {
        _status = 302; // a page client whose sign-in was lost: redirected to the login page
        // Three seconds, not one: on a saturated machine a one-second run could end before its first answer.
        using var load = WrkLoad.Start(Wrk, "/training", _url + "training", 1, _script, 3, WrkLoad.PageEnvironment(""));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => load.WaitAsync(CancellationToken.None));

        Assert.Contains("/training:", error.Message);
        Assert.Contains("were not 200 (first: 302", error.Message);
    }

    [Fact]
    public void TheFiguresLineIsParsedInMilliseconds()
    {
        var figures = WrkFigures.Parse(" requests=1200 seconds=20.004 p50=850 p99=31200 max=104500 non200=0 errors=0", "predict", "");

        Assert.Equal(new WrkFigures(1200, 20.004, 0.85, 31.2, 104.5, 0, 0, null), figures);
    }

    [Fact]
    public void AFiguresLineWithoutItsLatenciesIsAnError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WrkFigures.Parse(" requests=1200 seconds=20", "predict", "wrk: bad script"));

        Assert.Contains("printed no p50", error.Message);
        Assert.Contains("wrk: bad script", error.Message);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _server.Close();
        _scripts.Delete(recursive: true);
    }
}
