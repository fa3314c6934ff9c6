using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace ViralityDashboard.Api;

/// <summary>
/// An <c>/api</c> call that failed because PostgreSQL does not answer (down, restarting, in crash recovery) gets 503
/// problem details with Retry-After instead of a 500: the caller did nothing wrong and may simply try again. Any
/// other exception is left to the next handler.
/// </summary>
internal sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.Path.StartsWithSegments("/api") || !IsDatabaseUnavailable(exception))
            return false;
        logger.LogWarning("{Method} {Path} answered 503: the database is unavailable ({Reason})", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.Headers.RetryAfter = "5";
        await TypedResults.Problem(
            title: "The database is unavailable.",
            detail: "PostgreSQL does not answer right now (it may be restarting). Try again in a few seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>No server answer (refused, reset, timed out), or the server saying it cannot serve now.</summary>
    internal static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                        || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql:
                    return npgsql.IsTransient;
            }
        }
        return false;
    }
}
