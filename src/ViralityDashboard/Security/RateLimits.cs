using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ViralityDashboard.Api;

namespace ViralityDashboard.Security;

/// <summary>One fixed-window limit per client address.</summary>
public sealed class ClientLimit
{
    /// <summary>Requests a client may make per window; 0 turns the limit off.</summary>
    [Range(0, int.MaxValue)]
    public int PermitLimit { get; set; }

    /// <summary>The window's length in seconds.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Per-client rate limits. They replace account lockout, which lets anyone lock the owner out: throttling each
/// address makes guessing slow without handing an attacker that lever.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Virality:RateLimits";

    /// <summary>Sign-in attempts (the login form's POST) per client: default 10 a minute.</summary>
    [ValidateObjectMembers]
    public ClientLimit SignIn { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };

    /// <summary>/api calls per client: default 600 a minute.</summary>
    [ValidateObjectMembers]
    public ClientLimit Api { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };
}

internal static class RateLimits
{
    /// <summary>
    /// The sign-in form's policy, attached to the form's endpoint (<c>[EnableRateLimiting]</c> on the login page) rather
    /// than to a path: every spelling the router takes to the form (case, trailing slash, dot segments, a query)
    /// spends one budget. A path match missed <c>/Account/Login/</c> (issue 22).
    /// </summary>
    public const string SignInPolicy = "sign-in";

    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(c =>
                ApiErrors.IsApi(c.Request) ? PerClient(c, "api", limits.Value.Api) : RateLimitPartition.GetNoLimiter(""));
            // Loading the form is free; only its POST (an attempt) counts.
            o.AddPolicy(SignInPolicy, c =>
                HttpMethods.IsPost(c.Request.Method) ? PerClient(c, SignInPolicy, limits.Value.SignIn) : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <remarks>The client is the connection's address; behind a reverse proxy, configure forwarded headers first.</remarks>
    private static RateLimitPartition<string> PerClient(HttpContext context, string name, ClientLimit limit)
    {
        if (limit is not { PermitLimit: > 0 })
            return RateLimitPartition.GetNoLimiter("");
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter($"{name}:{client}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = $"Too many requests from this address; try again in {Math.Ceiling(retryAfter.TotalSeconds):0} s.";
        if (ApiErrors.IsApi(context.Request))
            await TypedResults.Problem(message, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
        else
            await context.Response.WriteAsync(message, ct);
    }
}
