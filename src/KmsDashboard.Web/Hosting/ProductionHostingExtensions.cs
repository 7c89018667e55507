using System.Net;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace KmsDashboard.Web.Hosting;

/// <summary>
/// What the dashboard needs behind a TLS-terminating reverse proxy and across restarts: forwarded headers from the
/// proxies named in <c>ForwardedHeaders:*</c> only, Secure cookies, HSTS, and the Data Protection key ring kept in
/// the data directory (so a restart or a new container does not sign everyone out).
/// </summary>
public static class ProductionHostingExtensions
{
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    /// <summary>The folder under <c>Storage:DataDirectory</c> that holds the Data Protection keys (SQLite storage).</summary>
    public const string KeysFolder = SignInStoreServiceCollectionExtensions.KeysFolder;

    public static WebApplicationBuilder AddProductionHosting(this WebApplicationBuilder builder)
    {
        var forwarded = builder.Configuration.GetSection(ForwardedHeadersSection).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        forwarded.ApplyLoopbackDefault();
        var problems = forwarded.Problems().ToList();
        if (problems.Count > 0)
            throw new OptionsValidationException(ForwardedHeadersSection, typeof(ForwardedHeadersSettings), problems);
        builder.Services.AddSingleton(forwarded);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = forwarded.ForwardLimit;
            // Only the proxies named here are believed (the built-in default trusts loopback; a listed set replaces it).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in forwarded.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            foreach (var network in forwarded.KnownNetworks) o.KnownIPNetworks.Add(IPNetwork.Parse(network.Trim()));
            // A forwarded Host must be one this dashboard answers to (AllowedHosts, "*" meaning any).
            var allowed = (builder.Configuration["AllowedHosts"] ?? "*").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!allowed.Contains("*")) foreach (var host in allowed) o.AllowedHosts.Add(host);
        });

        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
            o.Preload = false;
        });

        // The sign-in cookie is Secure outside Development (SignInExtensions); the antiforgery cookie is Secure whenever the
        // request came over HTTPS, directly or as the trusted proxy says (Always would make the sign-in form fail on HTTP).
        builder.Services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // The key ring that protects the sign-in and antiforgery cookies lives in {Storage:DataDirectory}/keys, or with
        // Storage:Provider=Postgres in the shared database (AddSignInStore, from AddDashboardSignIn).
        builder.Services.AddDataProtection().SetApplicationName("KmsDashboard");
        return builder;
    }

    /// <summary>
    /// Forwarded headers first (when <c>ForwardedHeaders:Enabled</c>), then HSTS outside Development: HSTS is sent only
    /// on requests that arrived over HTTPS, as the trusted proxy reports them.
    /// </summary>
    public static WebApplication UseProductionHosting(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ForwardedHeadersSettings>().Enabled) app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        return app;
    }
}

/// <summary>
/// Whether the sign-in cookie is always Secure (<c>Authentication:SecureCookies</c>; default: outside Development). A
/// dashboard served over plain HTTP to anything but localhost needs it false, or browsers drop the cookie.
/// </summary>
public sealed record CookieSecurity(bool AlwaysSecure)
{
    public CookieSecurePolicy Policy => AlwaysSecure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}

/// <summary>
/// The <c>ForwardedHeaders</c> section. Off by default: a dashboard reached directly must not believe an
/// <c>X-Forwarded-*</c> header anyone can send. On, only requests from <see cref="KnownProxies"/> or
/// <see cref="KnownNetworks"/> (default: loopback, a proxy on the same host) have their scheme, host and client address
/// taken from the headers.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public bool Enabled { get; set; }

    /// <summary>Proxy IP addresses (e.g. <c>10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation (e.g. <c>10.0.0.0/24</c>). With neither list set: 127.0.0.0/8 and ::1.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies' entries are read from the end of X-Forwarded-For (default 1).</summary>
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<string> Problems()
    {
        foreach (var proxy in KnownProxies)
            if (!IPAddress.TryParse(proxy?.Trim(), out _))
                yield return $"ForwardedHeaders:KnownProxies holds '{proxy}', which is not an IP address.";
        foreach (var network in KnownNetworks)
            if (!IPNetwork.TryParse(network?.Trim(), out _))
                yield return $"ForwardedHeaders:KnownNetworks holds '{network}', which is not a network in CIDR notation such as 10.0.0.0/24.";
        if (ForwardLimit is < 1 or > 10)
            yield return "ForwardedHeaders:ForwardLimit must be between 1 and 10.";
    }

    internal void ApplyLoopbackDefault()
    {
        if (KnownProxies.Length == 0 && KnownNetworks.Length == 0) KnownNetworks = ["127.0.0.0/8", "::1/128"];
    }
}
