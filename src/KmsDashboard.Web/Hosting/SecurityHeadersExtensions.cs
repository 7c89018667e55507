namespace KmsDashboard.Web.Hosting;

/// <summary>
/// Security headers and the strictest Content-Security-Policy that Blazor Server and MudBlazor work with:
/// scripts only from this origin (no inline script, no eval), the circuit's WebSocket to this origin, no framing.
/// Styles need 'unsafe-inline' because MudBlazor sets style attributes and its theme writes a &lt;style&gt; element.
/// The headers are added when the response starts, so every response carries them: pages, redirects and 401/403
/// challenges from authentication and authorization, OpenID Connect callbacks and errors, re-executed error pages.
/// </summary>
public static class SecurityHeadersExtensions
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>
    /// The policy with extra <c>form-action</c> origins: browsers apply form-action to the redirects that follow a form
    /// post, so signing out (POST /signout, answered by a redirect to the identity provider's end-session endpoint)
    /// needs the provider's origin there.
    /// </summary>
    public static string PolicyWithFormActions(IEnumerable<string> origins)
    {
        var extra = origins.Where(o => !string.IsNullOrWhiteSpace(o)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return extra.Count == 0
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("form-action 'self';", $"form-action 'self' {string.Join(' ', extra)};", StringComparison.Ordinal);
    }

    /// <summary>An absolute URL's origin (<c>https://idp.example.com:8443</c>), or null.</summary>
    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>Put first in the pipeline: every response from here on gets the headers as it starts.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string contentSecurityPolicy = ContentSecurityPolicy) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // Added beside any policy already set (Blazor sends its own frame-ancestors policy; browsers enforce every one).
            if (!headers.ContentSecurityPolicy.Contains(contentSecurityPolicy))
                headers.Append("Content-Security-Policy", contentSecurityPolicy);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
