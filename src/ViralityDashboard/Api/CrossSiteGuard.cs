using Microsoft.AspNetCore.Http.Metadata;

namespace ViralityDashboard.Api;

/// <summary>
/// Guards every /api call that changes something (any method but GET, HEAD, OPTIONS). The group turns antiforgery
/// off, and SameSite=Lax counts any other port on the same host as the same site, so the owner's cookie alone must
/// not be enough: a cookie-authenticated call whose <c>Origin</c> is another origin, or that the browser marks as
/// anything but <c>Sec-Fetch-Site: same-origin</c> (or <c>none</c>, typed by the user), gets 403. Callers with the
/// <c>X-Api-Key</c> header are scripts, not browsers, and skip that check. A body must be JSON (415 otherwise):
/// a cross-site form or a "simple" fetch cannot send <c>application/json</c> without a CORS preflight, which this
/// app never grants. An endpoint that declares other types (<c>Accepts</c>: the import's <c>text/csv</c> and
/// <c>application/x-ndjson</c>) takes those instead; none of them is a type a form or a simple fetch can send either.
/// A cookie-authenticated call with no body that carries neither <c>Origin</c> nor <c>Sec-Fetch-Site</c> gets 403 too,
/// unless it has one of those types or an <c>X-Requested-With</c> header: with no body, the type check alone let an empty
/// form post through (issue 22: <c>POST /api/retrain</c>, <c>Content-Length: 0</c>, no Origin, started a run). Browsers
/// send <c>Origin</c> with every POST, so the app's own pages are unaffected; a script using the cookie adds the header.
/// </summary>
internal static class CrossSiteGuard
{
    public static TBuilder RefuseCrossSiteWrites<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(FilterAsync);

    private static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return await next(invocation);
        if (!SignedInWithApiKey(context) && CrossSiteReason(request) is { } reason)
            return TypedResults.Problem(reason, statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused");
        var accepted = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes;
        if (HasBody(request) && !HasAcceptedType(request, accepted))
            return TypedResults.Problem($"Send the body as {AcceptedTypes(accepted)}, not {request.ContentType ?? "without a Content-Type"}.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        if (!SignedInWithApiKey(context) && !SaysWhereItComesFrom(request, accepted))
            return TypedResults.Problem(
                $"A change through the sign-in cookie must carry an Origin or Sec-Fetch-Site header (browsers send them), a Content-Type of {AcceptedTypes(accepted)}, "
                + "or an X-Requested-With header; this request has none of them, like a form posted from another site.",
                statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused");
        return await next(invocation);
    }

    private static bool IsOneOf(string? contentType, IReadOnlyList<string> accepted) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && accepted.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase);

    private static bool SignedInWithApiKey(HttpContext context) =>
        context.User.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyHandler.SchemeName);

    private static string? CrossSiteReason(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return $"The browser marked this request as {site}; changes through the sign-in cookie must come from this app's own pages.";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsThisHost(origin, request))
            return $"Requests from {origin} may not use the sign-in cookie to change anything.";
        return null;
    }

    /// <summary>
    /// Whether a cross-site page could not have sent this: a browser's provenance header (checked above), a type a form
    /// or a simple fetch cannot send, or a custom header, which needs a CORS preflight this app never grants.
    /// </summary>
    private static bool SaysWhereItComesFrom(HttpRequest request, IReadOnlyList<string>? accepted) =>
        !string.IsNullOrEmpty(request.Headers.Origin)
        || !string.IsNullOrEmpty(request.Headers["Sec-Fetch-Site"])
        || !string.IsNullOrEmpty(request.Headers.XRequestedWith)
        || HasAcceptedType(request, accepted);

    private static bool HasAcceptedType(HttpRequest request, IReadOnlyList<string>? accepted) =>
        accepted is { Count: > 0 } ? IsOneOf(request.ContentType, accepted) : request.HasJsonContentType();

    private static string AcceptedTypes(IReadOnlyList<string>? accepted) =>
        accepted is { Count: > 0 } ? string.Join(", ", accepted) : "application/json";

    /// <remarks>
    /// Host and port only, not the scheme: behind a proxy that ends TLS the app sees http while the browser says
    /// https. Another site cannot share our host and port.
    /// </remarks>
    private static bool IsThisHost(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
        && (request.Host.Port is { } port ? port == uri.Port : uri.IsDefaultPort);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
