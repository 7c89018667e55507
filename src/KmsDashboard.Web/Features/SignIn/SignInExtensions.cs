using System.Security.Claims;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using KmsDashboard.Web.Hosting;

namespace KmsDashboard.Web.Features.SignIn;

public static class SignInExtensions
{
    public const string LocalSignInPath = "/signin/local";
    public const string OidcSignInPath = "/signin/oidc";
    public const string SignOutPath = "/signout";

    /// <summary>
    /// Cookie sign-in fed by OpenID Connect and/or the local sign-in, the dashboard policies and the cascading
    /// authentication state. Fails at start-up when no sign-in is available.
    /// </summary>
    public static WebApplicationBuilder AddDashboardSignIn(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SignInOptions.Section).Get<SignInOptions>() ?? new SignInOptions();
        var local = LocalAllowed(builder, options.Local);
        var schemes = new SignInSchemes(local, options.Oidc.IsConfigured, options.AnonymousRead ?? SandboxBackend(builder),
            LocalWithAws: local && !SandboxBackend(builder))
        {
            ContentSecurityPolicy = SecurityHeadersExtensions.PolicyWithFormActions(
                options.Oidc.IsConfigured ? [SecurityHeadersExtensions.OriginOf(options.Oidc.Authority)!] : []),
        };
        if (!schemes.Local && !schemes.Oidc)
            throw new InvalidOperationException(SandboxBackend(builder)
                ? $"No sign-in is configured: set {SignInOptions.Section}:Oidc:Authority and {SignInOptions.Section}:Oidc:ClientId, " +
                  $"or leave {SignInOptions.Section}:Local:Enabled unset for the local sign-in on the sandbox."
                : $"No sign-in is configured for Backend:Mode=Aws: set {SignInOptions.Section}:Oidc:Authority and {SignInOptions.Section}:Oidc:ClientId. " +
                  $"(The local sign-in, where anyone picks their own roles, is off against AWS whatever the environment; " +
                  $"{SignInOptions.Section}:Local:AllowWithAws=true forces it on, for a test account only.)");
        builder.Services.AddSingleton(schemes);
        var cookieSecurity = new CookieSecurity(builder.Configuration.GetValue<bool?>("Authentication:SecureCookies") ?? !builder.Environment.IsDevelopment());

        var authentication = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            // With OIDC only, an unauthenticated request goes straight to the identity provider.
            o.DefaultChallengeScheme = schemes.Local ? CookieAuthenticationDefaults.AuthenticationScheme : OpenIdConnectDefaults.AuthenticationScheme;
        }).AddCookie(o =>
        {
            o.Cookie.SecurePolicy = cookieSecurity.Policy;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.Cookie.Name = "kmsdashboard.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // A signed-in user without the role gets a plain 403, not a bounce to the sign-in page.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        if (schemes.Oidc)
        {
            var oidc = options.Oidc;
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                foreach (var scope in oidc.Scopes) o.Scope.Add(scope);
                o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                o.TokenValidationParameters.NameClaimType = oidc.NameClaim;
                o.ClaimActions.MapJsonKey(oidc.RoleClaim, oidc.RoleClaim);
                o.NonceCookie.SecurePolicy = o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
                // A failed or refused sign-in at the provider (access_denied, a stale or forged callback) lands on the
                // sign-in page with the reason, not on an error page.
                o.Events.OnRemoteFailure = context =>
                {
                    var reason = context.Failure?.Message ?? "the identity provider did not sign you in";
                    if (reason.Length > 300) reason = reason[..300];
                    context.Response.Redirect($"/signin?error={Uri.EscapeDataString("Sign-in with your organisation failed: " + reason)}");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }
        builder.Services.AddDashboardAuthorization();
        if (!schemes.AnonymousRead)
        {
            // Every endpoint without its own rule (pages, the key map CSV, the Blazor hub) needs a dashboard role; the
            // sign-in endpoints, static assets, /healthz and the error pages say AllowAnonymous.
            builder.Services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(o => o.FallbackPolicy =
                new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                    .RequireRole(DashboardPolicies.Roles[DashboardPolicies.CanRead]).Build());
        }
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Maps POST /signin/local, GET /signin/oidc and POST /signout.</summary>
    public static WebApplication MapDashboardSignIn(this WebApplication app)
    {
        var schemes = app.Services.GetRequiredService<SignInSchemes>();
        if (schemes.LocalWithAws)
            app.Logger.LogWarning(
                "Local sign-in is ON against AWS ({Setting}=true): anyone who reaches this dashboard can sign in with any name and the " +
                "Admin role and change real keys. Turn it off unless this is a test account on a private machine.",
                $"{SignInOptions.Section}:Local:AllowWithAws");
        if (schemes.Local)
        {
            app.MapPost(LocalSignInPath, async (HttpContext http, IFormCollection form) =>
            {
                string? userName = form["userName"], returnUrl = form["returnUrl"];
                var roles = form["roles"].OfType<string>().ToArray();
                if (LocalSignIn.Validate(userName, roles) is { } problem)
                    return Results.Redirect($"/signin?error={Uri.EscapeDataString(problem)}&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}");
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, LocalSignIn.Principal(userName!, roles!));
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            }).AllowAnonymous();
        }
        if (schemes.Oidc)
        {
            app.MapGet(OidcSignInPath, (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous();
        }
        app.MapPost(SignOutPath, async (HttpContext http) =>
        {
            var viaOidc = schemes.Oidc && http.User.FindFirst(DashboardUser.SignInMethodClaim)?.Value != DashboardUser.LocalSignIn;
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (viaOidc)
                return Results.SignOut(new AuthenticationProperties { RedirectUri = "/signin" }, [OpenIdConnectDefaults.AuthenticationScheme]);
            return Results.LocalRedirect("/signin");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The local sign-in lets anyone pick Admin, so against AWS it needs <c>Authentication:Local:AllowWithAws=true</c>;
    /// the environment's name (Development, Sandbox) never turns it on there.
    /// </summary>
    private static bool LocalAllowed(WebApplicationBuilder builder, LocalSignInOptions local)
    {
        if (local.Enabled == false) return false;
        if (SandboxBackend(builder)) return true;
        if (local.AllowWithAws) return true;
        if (local.Enabled == true)
            throw new InvalidOperationException(
                $"{SignInOptions.Section}:Local:Enabled=true is refused with Backend:Mode=Aws: the local sign-in lets anyone pick their own " +
                $"roles, Admin included, against a real AWS account. Use OpenID Connect ({SignInOptions.Section}:Oidc:*), or, for a " +
                $"test account on a private machine only, set {SignInOptions.Section}:Local:AllowWithAws=true.");
        return false;
    }

    private static bool SandboxBackend(WebApplicationBuilder builder) =>
        BackendOptions.ReadMode(builder.Configuration) == BackendMode.Sandbox;

    /// <summary>Only local paths are followed after sign-in (no open redirects).</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/";

    private static class LocalSignIn
    {
        public static string? Validate(string? userName, string[]? roles)
        {
            if (string.IsNullOrWhiteSpace(userName)) return "Type a user name.";
            if (userName.Length > 64) return "A user name has at most 64 characters.";
            if (userName.Any(char.IsControl)) return "A user name cannot hold control characters.";
            if (roles is null || roles.Length == 0) return "Pick at least one role.";
            if (roles.FirstOrDefault(r => !DashboardRoles.All.Contains(r)) is { } unknown) return $"'{unknown}' is not a dashboard role.";
            return null;
        }

        public static ClaimsPrincipal Principal(string userName, string[] roles)
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, userName.Trim()), new(DashboardUser.SignInMethodClaim, DashboardUser.LocalSignIn) };
            claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, "Local", ClaimTypes.Name, ClaimTypes.Role));
        }
    }
}
