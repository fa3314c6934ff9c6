using System.Diagnostics;
using System.Globalization;

namespace ViralityDashboard.Diagnostics;

/// <summary>Settings of the slow-request log (<c>Virality:SlowRequests</c>).</summary>
public sealed class SlowRequestOptions
{
    public const string Section = "Virality:SlowRequests";

    /// <summary>A request that takes at least this long is logged with where its time went; 0 turns the log off.</summary>
    public int ThresholdMs { get; set; } = 1000;
}

/// <summary>
/// Logs each request slower than <see cref="SlowRequestOptions.ThresholdMs"/> with where its time went: its database
/// commands (count and time, from Npgsql's activities in the request's own flow), garbage-collection pauses, the
/// process's CPU meanwhile, and how late the machine ran ready work (<see cref="SchedulingProbe"/>). Enough to tell a
/// slow query from a busy machine, a starved thread pool or a collection, which is the first question about a slow page.
/// </summary>
internal sealed class SlowRequestLog : IDisposable
{
    private static readonly AsyncLocal<RequestCost?> Current = new();

    private readonly ILogger<SlowRequestLog> _logger;
    private readonly SchedulingProbe? _probe;
    private readonly ActivityListener? _listener;
    private readonly double _thresholdMs;

    public SlowRequestLog(ILogger<SlowRequestLog> logger, Microsoft.Extensions.Options.IOptions<SlowRequestOptions> options)
    {
        _logger = logger;
        _thresholdMs = options.Value.ThresholdMs;
        if (!Enabled)
            return;
        _probe = new SchedulingProbe();
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Current.Value is { } cost)
                    cost.AddCommand(activity);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public bool Enabled => _thresholdMs > 0;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var cost = new RequestCost();
        Current.Value = cost;
        var start = Stopwatch.GetTimestamp();
        var gcBefore = GC.GetTotalPauseDuration();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        // The server's share of the request's time, for a browser's developer tools and for bench-serve, whose client
        // on the same cores also counts its own waits for a CPU. Pages and answers are written once complete, so the
        // moment the response starts is the end of the server's work.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
                $"app;dur={Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.00}, db;dur={cost.Database.TotalMilliseconds:0.00}");
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            var end = Stopwatch.GetTimestamp();
            var ms = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
            if (ms >= _thresholdMs && !IsLongLived(context))
            {
                var (osLate, poolWait) = _probe!.WorstBetween(start, end);
                _logger.LogWarning(
                    "Slow request: {Method} {Path} took {Milliseconds:N0} ms ({Status}): database {DbMs:N0} ms in {DbCommands} commands, "
                    + "garbage collection paused {GcMs:N0} ms, the process used {CpuMs:N0} ms of CPU, ready threads ran up to {OsLateMs:N0} ms late, "
                    + "thread-pool work waited up to {PoolWaitMs:N0} ms. Slowest commands: {SlowestCommands}",
                    context.Request.Method, context.Request.Path.Value, ms, context.Response.StatusCode, cost.Database.TotalMilliseconds, cost.Commands,
                    (GC.GetTotalPauseDuration() - gcBefore).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds, osLate, poolWait, cost.Slowest);
            }
        }
    }

    /// <summary>
    /// An upgraded connection (a Blazor circuit's WebSocket, answered 101) lasts as long as its tab: its length is no
    /// request's latency, and logging it filled the warnings with every closed tab.
    /// </summary>
    private static bool IsLongLived(HttpContext context) =>
        context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols
        || context.WebSockets.IsWebSocketRequest
        || context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()?.IsUpgradableRequest == true;

    public void Dispose()
    {
        _listener?.Dispose();
        _probe?.Dispose();
    }

    /// <summary>One request's database commands; commands of one request may end on several threads at once.</summary>
    private sealed class RequestCost
    {
        private long _ticks;
        private int _commands;

        public TimeSpan Database => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public int Commands => Volatile.Read(ref _commands);

        /// <summary>The slowest commands, to name the query behind a slow page.</summary>
        public string Slowest
        {
            get
            {
                lock (_slowest)
                    return string.Join("; ", _slowest.OrderByDescending(c => c.Duration).Take(3).Select(c => $"{c.Duration.TotalMilliseconds:N0} ms {c.Text}"));
            }
        }

        private readonly List<(TimeSpan Duration, string Text)> _slowest = [];

        public void AddCommand(Activity command)
        {
            Interlocked.Add(ref _ticks, command.Duration.Ticks);
            Interlocked.Increment(ref _commands);
            var text = (command.GetTagItem("db.query.text") ?? command.GetTagItem("db.statement")) as string ?? command.DisplayName;
            lock (_slowest)
                _slowest.Add((command.Duration, text.Length > 120 ? text[..120] + "…" : text));
        }
    }
}

internal static class SlowRequestLogExtensions
{
    public static IHostApplicationBuilder AddSlowRequestLog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SlowRequestOptions>().BindConfiguration(SlowRequestOptions.Section)
            .Validate(o => o.ThresholdMs >= 0, "Virality:SlowRequests:ThresholdMs must be 0 (off) or more.").ValidateOnStart();
        builder.Services.AddSingleton<SlowRequestLog>();
        return builder;
    }

    /// <summary>First in the pipeline, so a request's whole time is measured.</summary>
    public static void UseSlowRequestLog(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<SlowRequestLog>();
        if (log.Enabled)
            app.Use((context, next) => log.InvokeAsync(context, next));
    }
}
