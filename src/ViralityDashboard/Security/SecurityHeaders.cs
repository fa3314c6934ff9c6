using System.Security.Cryptography;

namespace ViralityDashboard.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy is as strict as Blazor Server, MudBlazor and Plotly allow
/// (checked in Chromium: no violations on the pages): scripts only from this origin, plus the one inline script
/// Blazor renders (the import map), which carries this request's nonce; inline styles, because MudBlazor and Plotly
/// set style attributes and inject style rules; images also as data: URIs (Plotly, MudBlazor icons) and from any https
/// host (the Rate page's video covers come from TikTok's CDNs, whose host names vary); connections only to this origin,
/// which in CSP 3 includes the circuit's WebSocket, and to TikTok's player address (the Rate page checks it answers
/// before it hides the cover); frames only from TikTok's embedded player (the Rate page shows the video being rated);
/// never framed itself.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "csp-nonce";

    public static void UseSecurityHeaders(this WebApplication app) =>
        app.Use((context, next) =>
        {
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            // On starting, so responses that an exception handler clears and rewrites carry them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
                    "font-src 'self' data:; connect-src 'self' https://www.tiktok.com; frame-src https://www.tiktok.com; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            return next(context);
        });

    /// <summary>The nonce that lets this response's own inline script (Blazor's import map) run.</summary>
    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";
}
