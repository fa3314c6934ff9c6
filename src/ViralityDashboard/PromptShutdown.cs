namespace ViralityDashboard;

internal static class PromptShutdown
{
    /// <summary>
    /// Ctrl+C must end the app within seconds. Issue 10 §7 saw a <c>POST /_blazor/disconnect</c> from a closed tab
    /// still in flight at shutdown, and Kestrel's graceful stop waiting the host's default 30 s for it. Our own
    /// components do no JS interop when disposed; Plotly.Blazor's chart calls <c>purge</c> in JS on disposal, and a
    /// JS call to a browser that is gone waits up to a minute, the likely wait (not reproduced here: the test's
    /// closed tabs exit in about 2 s before and after). One second still lets in-flight API calls (milliseconds each) finish, and keeps the whole exit, cluster stop included, near the 3 s target; the
    /// embedded cluster is stopped after the host, so it still stops cleanly.
    /// </summary>
    public static IHostApplicationBuilder AddPromptShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        return builder;
    }
}
