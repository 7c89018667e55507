using System.Net;
using System.Text.RegularExpressions;
using System.Web;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Web.Hosting;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// The dashboard in Production behind a TLS-terminating proxy on the same host (ForwardedHeaders:Enabled, loopback
/// trusted by default): HTTPS as the proxy reports it gives HSTS, Secure cookies and https OIDC redirect URIs; every
/// response, challenges and OIDC errors included, carries the security headers; the Data Protection keys live in
/// the data directory, so a second instance (a restart) accepts the first one's sign-in cookie.
/// The proxy is played by sending its X-Forwarded-* headers from loopback.
/// </summary>
public sealed partial class ProxyAndHeadersTests(ProxyAndHeadersTests.App app) : IClassFixture<ProxyAndHeadersTests.App>
{
    public const string PublicHost = "kms.example.com";

    public sealed class App : IAsyncLifetime
    {
        public DiscoveryOnlyProvider Provider { get; private set; } = default!;

        public DashboardAppFactory Factory { get; private set; } = default!;

        public Uri BaseUrl { get; private set; } = default!;

        public static Dictionary<string, string?> Settings(DiscoveryOnlyProvider provider) => new()
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["AllowedHosts"] = $"{PublicHost};127.0.0.1;localhost",
            ["Authentication:AnonymousRead"] = "false",
            ["Authentication:Oidc:Authority"] = provider.Url.ToString(),
            ["Authentication:Oidc:ClientId"] = "kmsdashboard",
            ["Authentication:Oidc:ClientSecret"] = "not-used-here",
            ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
        };

        public async Task InitializeAsync()
        {
            Provider = await DiscoveryOnlyProvider.StartAsync();
            Factory = new DashboardAppFactory(Settings(Provider), environment: "Production");
            BaseUrl = Factory.Start();
        }

        public async Task DisposeAsync()
        {
            await Factory.DisposeAsync();
            await Provider.DisposeAsync();
        }
    }

    private static HttpClient Client(Uri baseUrl) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = baseUrl };

    private static HttpRequestMessage ViaProxy(HttpMethod method, string path, string host = PublicHost)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", host);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return request;
    }

    private static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what}: no Content-Security-Policy");
        Assert.Contains(csp!, p => p.Contains("script-src 'self';") && p.Contains("frame-ancestors 'none'"));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task HttpsAtTheProxyGivesHstsAndAnHttpsRedirectUriToTheProvider()
    {
        using var http = Client(app.BaseUrl);

        var response = await http.SendAsync(ViaProxy(HttpMethod.Get, "/signin/oidc?returnUrl=%2Fkeys"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(app.Provider.Url + "authorize", location.ToString());
        Assert.Equal($"https://{PublicHost}/signin-oidc", HttpUtility.ParseQueryString(location.Query)["redirect_uri"]);
        Assert.StartsWith("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        var cookies = SetCookies(response);
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
        AssertSecurityHeaders(response, "the challenge to the provider");
    }

    [Fact]
    public async Task PlainHttpWithoutTheProxyGetsNoHstsAndAnHttpRedirectUri()
    {
        using var http = Client(app.BaseUrl);

        var response = await http.GetAsync("/signin/oidc");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(new Uri(app.BaseUrl, "/signin-oidc").ToString(), HttpUtility.ParseQueryString(response.Headers.Location!.Query)["redirect_uri"]);
    }

    [Fact]
    public async Task AForwardedHostOutsideAllowedHostsIsIgnored()
    {
        using var http = Client(app.BaseUrl);

        var response = await http.SendAsync(ViaProxy(HttpMethod.Get, "/signin/oidc", host: "evil.example.org"));

        var redirectUri = HttpUtility.ParseQueryString(response.Headers.Location!.Query)["redirect_uri"]!;
        Assert.DoesNotContain("evil.example.org", redirectUri);
    }

    [Fact]
    public async Task AHostOutsideAllowedHostsIsRefused()
    {
        using var http = Client(app.BaseUrl);
        var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Host = "evil.example.org";

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ChallengesRefusalsAndOidcErrorsCarryTheSecurityHeaders()
    {
        using var http = Client(app.BaseUrl);

        var challenge = await http.GetAsync("/keys");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/signin", challenge.Headers.Location!.ToString().Replace(app.BaseUrl.ToString(), "/"));
        AssertSecurityHeaders(challenge, "302 to the sign-in page");

        var viewer = await SignInLocallyAsync(app.BaseUrl, "vera", "Viewer");
        var forbidden = new HttpRequestMessage(HttpMethod.Get, "/journal/export.csv");
        forbidden.Headers.Add("Cookie", viewer);
        var refused = await http.SendAsync(forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        AssertSecurityHeaders(refused, "403 for a Viewer");

        var oidcError = await http.GetAsync("/signin-oidc?error=access_denied&error_description=denied&state=forged");
        Assert.Equal(HttpStatusCode.Redirect, oidcError.StatusCode);
        Assert.StartsWith("/signin?error=", oidcError.Headers.Location!.OriginalString);
        AssertSecurityHeaders(oidcError, "an OIDC error");
    }

    [Fact]
    public async Task TheContentSecurityPolicyLetsSignOutRedirectToTheProvider()
    {
        using var http = Client(app.BaseUrl);

        var response = await http.GetAsync("/signin");

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"), p => p.Contains("form-action"));
        Assert.Contains($"form-action 'self' {app.Provider.Origin};", policy);
        Assert.Equal(SecurityHeadersExtensions.PolicyWithFormActions([app.Provider.Origin]), policy);
    }

    [Fact]
    public async Task TheSignInCookieIsSecureAndARestartedInstanceAcceptsIt()
    {
        var cookie = await SignInLocallyAsync(app.BaseUrl, "olga", "Operator", expectSecure: true);

        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app.Factory.DataDirectory, ProductionHostingExtensions.KeysFolder), "key-*.xml"));
        // A second instance on the same data directory, as after a restart or in a new container.
        var settings = App.Settings(app.Provider);
        settings["Storage:DataDirectory"] = app.Factory.DataDirectory;
        await using var restarted = new DashboardAppFactory(settings, environment: "Production");
        var restartedUrl = restarted.Start();
        using var http = Client(restartedUrl);
        var request = new HttpRequestMessage(HttpMethod.Get, "/keys");
        request.Headers.Add("Cookie", cookie);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Signs in on the local form (through the proxy, over "https") and returns the Cookie header value.</summary>
    private static async Task<string> SignInLocallyAsync(Uri baseUrl, string name, string role, bool expectSecure = false)
    {
        using var http = Client(baseUrl);
        var page = await http.SendAsync(ViaProxy(HttpMethod.Get, "/signin?returnUrl=%2Fkeys"));
        var antiforgery = SetCookies(page).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var post = ViaProxy(HttpMethod.Post, "/signin/local");
        post.Headers.Add("Cookie", antiforgery);
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = name,
            ["roles"] = role,
            ["returnUrl"] = "/keys",
        });
        var signIn = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = SetCookies(signIn).Single(c => c.StartsWith("kmsdashboard.auth=", StringComparison.Ordinal));
        if (expectSecure)
        {
            Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
        }
        return auth.Split(';')[0];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
