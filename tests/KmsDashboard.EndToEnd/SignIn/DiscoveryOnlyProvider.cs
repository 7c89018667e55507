using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// An OpenID Connect discovery document and an empty key set on a free loopback port: enough for the dashboard to
/// build its redirect to the provider (where the redirect_uri shows). Signing in for real is <see cref="OidcProviderProcess"/>.
/// </summary>
public sealed class DiscoveryOnlyProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DiscoveryOnlyProvider(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    public static async Task<DiscoveryOnlyProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
        {
            var issuer = $"{http.Request.Scheme}://{http.Request.Host}";
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["authorization_endpoint"] = $"{issuer}/authorize",
                ["token_endpoint"] = $"{issuer}/token",
                ["userinfo_endpoint"] = $"{issuer}/userinfo",
                ["end_session_endpoint"] = $"{issuer}/session/end",
                ["jwks_uri"] = $"{issuer}/jwks",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            });
        });
        app.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
        await app.StartAsync();
        var address = app.Urls.First();
        return new DiscoveryOnlyProvider(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
