using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ViralityDashboard.Api;

/// <summary>Limits of the HTTP API.</summary>
public sealed class ApiOptions
{
    public const string Section = "Virality:Api";

    /// <summary>The largest request body an /api call accepts, in bytes; larger ones get 413. Default 4 MiB.</summary>
    [Range(1_024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest body <c>POST /api/import</c> accepts, in bytes; larger ones get 413. Default 1 GiB.</summary>
    [Range(1_024, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 1024L * 1024 * 1024;
}

/// <summary>
/// The generic fallback for /api: a request Kestrel refused while reading it (too large, malformed) keeps its own
/// status, anything else is a 500; both as problem details that reveal nothing of the exception. Handlers
/// registered before this one (a database-unavailable 503, say) get their turn first.
/// </summary>
internal sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!ApiErrors.IsApi(context.Request))
            return false;
        IResult problem;
        if (exception is BadHttpRequestException bad)
        {
            logger.LogInformation("Refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, bad.Message);
            problem = TypedResults.Problem(bad.Message, statusCode: bad.StatusCode);
        }
        else
        {
            logger.LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            problem = TypedResults.Problem("The server could not complete the request; the log has the details.", statusCode: StatusCodes.Status500InternalServerError);
        }
        // A problem result writes JSON even when the client asked for HTML.
        await problem.ExecuteAsync(context);
        return true;
    }
}

internal static class ApiErrors
{
    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static IHostApplicationBuilder AddApiErrors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        return builder;
    }

    /// <summary>Under /api: exceptions and bodiless error statuses become problem details; bodies are capped.</summary>
    public static void UseApiErrors(this WebApplication app) =>
        app.UseWhen(c => IsApi(c.Request), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages(c => TypedResults.Problem(statusCode: c.HttpContext.Response.StatusCode).ExecuteAsync(c.HttpContext));
            api.Use(LimitBodyAsync);
        });

    private static Task LimitBodyAsync(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        // The import streams its body and has a limit of its own: a scrape is many times a JSON call's size.
        var import = context.Request.Path.StartsWithSegments(ImportEndpoint.Path);
        var (max, setting) = import ? (options.MaxImportBytes, "MaxImportBytes") : (options.MaxBodyBytes, "MaxBodyBytes");
        if (context.Request.ContentLength > max)
            return TypedResults.Problem($"The body is larger than {max:N0} bytes (Virality:Api:{setting}).", statusCode: StatusCodes.Status413PayloadTooLarge)
                .ExecuteAsync(context);
        // A body without a length (chunked) is cut off while it is read: Kestrel throws a 413 BadHttpRequestException.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = max;
        return next(context);
    }
}
