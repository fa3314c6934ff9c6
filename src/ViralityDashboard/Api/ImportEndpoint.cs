using Microsoft.AspNetCore.Http.Features;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Api;

/// <summary>
/// <c>POST /api/import</c>: a scraper's webhook or a cron job pushes a file as the request body, and the body streams
/// into the same import as the CLI's <c>import</c> (format detected from the content, one transaction), which answers
/// the same report. Owner role or the API key; <c>?strict=true</c> as <c>--strict</c>.
/// </summary>
internal static class ImportEndpoint
{
    public const string Path = "/api/import";

    /// <summary>What the body may be sent as; anything else gets 415 from <see cref="CrossSiteGuard"/>.</summary>
    public static readonly string[] ContentTypes = ["text/csv", "application/json", "application/x-ndjson"];

    public static void MapImportEndpoint(this RouteGroupBuilder api) =>
        api.MapPost("/import", ImportAsync)
            .RequireAuthorization(Policies.Owner)
            .Accepts(typeof(Stream), ContentTypes[0], ContentTypes[1..]);

    private static async Task<IResult> ImportAsync(HttpContext context, VideoImporter importer, IScoringTrigger scoring, ILoggerFactory logs, bool? strict, CancellationToken ct)
    {
        // The CSV reader reads synchronously on the importer's parser thread (CsvHelper's async reads cost a task per
        // record), so this request's body must allow it; the body is still read as it arrives, never held whole.
        if (context.Features.Get<IHttpBodyControlFeature>() is { } body)
            body.AllowSynchronousIO = true;
        try
        {
            var report = await importer.ImportAsync(context.Request.Body, new ImportOptions { Strict = strict == true }, ct);
            logs.CreateLogger(typeof(ImportEndpoint)).LogInformation("{User} pushed {Format} over HTTP: {Read} read, {Inserted} inserted, {Updated} updated, {Rejected} rejected",
                context.User.Identity?.Name ?? "api", report.Format, report.Read, report.Inserted, report.Updated, report.Rejected);
            // Scored by the Quartz job, not in this request.
            if (report.Inserted + report.Updated > 0)
                await scoring.TriggerAsync(CancellationToken.None);
            return TypedResults.Ok(report);
        }
        catch (ImportFormatException e)
        {
            return TypedResults.Problem($"{e.Message}; nothing was written.", statusCode: StatusCodes.Status400BadRequest, title: "The body cannot be imported");
        }
        catch (StrictImportException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Strict import refused a row",
                extensions: new Dictionary<string, object?> { ["where"] = e.Error.Where, ["reason"] = e.Error.Reason });
        }
        catch (ImportAbortedException e)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The database connection was lost");
        }
        catch (Exception e) when (TooLarge(e) is { } tooLarge)
        {
            // A body without a length is cut off by Kestrel while the parser reads it; the transaction is undone.
            return TypedResults.Problem($"{tooLarge.Message} (Virality:Api:MaxImportBytes); nothing was written.", statusCode: tooLarge.StatusCode);
        }
    }

    private static BadHttpRequestException? TooLarge(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } bad)
                return bad;
        }
        return null;
    }
}
