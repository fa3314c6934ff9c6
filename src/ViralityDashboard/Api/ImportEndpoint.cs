using Microsoft.AspNetCore.Http.Features;
using ViralityDashboard.Data.Import;

namespace ViralityDashboard.Api;

/// <summary>
/// <c>POST /api/import</c>: a scraper's webhook or a cron job pushes a file as the request body, and the body streams
/// into the same import as the CLI's <c>import</c> (format detected from the content, one transaction), which answers
/// the same report. Owner role or the API key; <c>?strict=true</c> as <c>--strict</c>, <c>?scrapedAt=</c> as <c>--scraped-at</c>.
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

    private static async Task<IResult> ImportAsync(HttpContext context, VideoImporter importer, IScoringTrigger scoring, ILoggerFactory logs,
        TimeProvider time, bool? strict, string? scrapedAt, CancellationToken ct)
    {
        DateTimeOffset? fileTime = null;
        if (scrapedAt is not null)
        {
            try
            {
                fileTime = ImportOptions.ParseScrapedAt("scrapedAt", scrapedAt, time.GetUtcNow());
            }
            catch (FormatException e)
            {
                return TypedResults.Problem($"{e.Message}; nothing was written.", statusCode: StatusCodes.Status400BadRequest, title: "The scrape time cannot be used");
            }
        }
        // The CSV reader reads synchronously on the importer's parser thread (CsvHelper's async reads cost a task per
        // record), so this request's body must allow it; the body is still read as it arrives, never held whole.
        if (context.Features.Get<IHttpBodyControlFeature>() is { } body)
            body.AllowSynchronousIO = true;
        var log = logs.CreateLogger(typeof(ImportEndpoint));
        var received = new CountingStream(context.Request.Body);
        try
        {
            var report = await importer.ImportAsync(received, new ImportOptions { Strict = strict == true, ScrapedAt = fileTime }, ct);
            log.LogInformation("{User} pushed {Format} over HTTP: {Read} read, {Inserted} inserted, {Updated} updated, {Rejected} rejected",
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
        catch (ImportBusyException e)
        {
            // Imports take turns; this one waited its whole turn. The client sends the file again later.
            context.Response.Headers.RetryAfter = BusyRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Another import is running");
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
        catch (Exception e) when (ct.IsCancellationRequested || ClientGone(e))
        {
            // The client closed the connection mid-upload: nobody is left to answer, but the operator should see why a
            // scraper's push left no data (the transaction was undone).
            log.LogWarning("Import aborted by the client after {Bytes} bytes received ({Reason}); nothing was written",
                received.BytesRead, e.GetBaseException().Message);
            return TypedResults.Empty;
        }
    }

    /// <summary>Seconds a client refused for a busy import is asked to wait before sending again.</summary>
    public const int BusyRetryAfterSeconds = 30;

    /// <summary>Kestrel's word for a body that ended before its length or chunk end: the client went away.</summary>
    private static bool ClientGone(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } or Microsoft.AspNetCore.Connections.ConnectionResetException)
                return true;
        }
        return false;
    }

    /// <summary>The request body, counting what the import has read of it (for the abort's log line).</summary>
    private sealed class CountingStream(Stream inner) : ForwardReadStream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int n)
        {
            Interlocked.Add(ref _read, n);
            return n;
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
