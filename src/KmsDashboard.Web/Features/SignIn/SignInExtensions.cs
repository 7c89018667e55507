using System.Security.Claims;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using KmsDashboard.Web.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Features.SignIn;

public static class SignInExtensions
{
    public const string LocalSignInPath = "/signin/local";
    public const string OidcSignInPath = "/signin/oidc";
    public const string SignOutPath = "/signout";
    public const string SignInAgainPath = "/signin/again";
    private const string ReauthenticateItem = "kmsdashboard.reauthenticate";
    private const string IdTokenHintItem = "kmsdashboard.id_token_hint";

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
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section)
            .Validate(o => o.StepUpWithin >= TimeSpan.Zero, $"{SignInOptions.Section}:StepUpWithin must not be negative (00:00:00 turns the step-up off).")
            .Validate(o => o.RevalidationInterval >= TimeSpan.FromSeconds(1) && o.RevalidationInterval <= TimeSpan.FromMinutes(1),
                $"{SignInOptions.Section}:RevalidationInterval must be between 00:00:01 and 00:01:00.")
            .Validate(o => o.Oidc.RoleMapping.Values.All(r => DashboardRoles.All.Contains(r)),
                $"{SignInOptions.Section}:Oidc:RoleMapping maps to a role that is not Viewer, Auditor, Operator or Admin.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSignInStore(builder.Environment.ContentRootPath);   // sessions (and, on PostgreSQL, the key ring) in the store
        builder.Services.AddSingleton<SignInSessions>();
        // Open pages re-check their user (signed out, expired, other roles); replaces Blazor's non-revalidating provider.
        builder.Services.AddScoped<AuthenticationStateProvider, DashboardAuthenticationStateProvider>();
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
            // Every request with the cookie: a signed-out session's cookie (replayed) is refused; the expiry is noted
            // for the open pages' revalidation.
            o.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
                var aborted = context.HttpContext.RequestAborted;
                if (context.Principal is { } principal)
                {
                    if (await sessions.ProblemAsync(principal, aborted) is not null)
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                        return;
                    }
                    await sessions.TouchAsync(principal, context.Properties.ExpiresUtc, aborted);
                }
            };
            o.Events.OnCheckSlidingExpiration = async context =>
            {
                if (context.ShouldRenew && context.Principal is { } principal)
                    await context.HttpContext.RequestServices.GetRequiredService<SignInSessions>()
                        .TouchAsync(principal, DateTimeOffset.UtcNow + context.Options.ExpireTimeSpan, context.HttpContext.RequestAborted);
            };
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
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                foreach (var scope in oidc.Scopes) o.Scope.Add(scope);
                o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                o.TokenValidationParameters.NameClaimType = oidc.NameClaim;
                o.ClaimActions.MapJsonKey(oidc.RoleClaim, oidc.RoleClaim);
                o.NonceCookie.SecurePolicy = o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                // Roles from the role claim (names of roles, or values mapped by RoleMapping); the sign-in time (the
                // provider's auth_time when it sends one) for the step-up; a session for revalidation; and only the
                // id token kept, as the hint that lets sign-out end the provider's session.
                o.Events.OnTicketReceived = async context =>
                {
                    if (context.Principal?.Identity is not ClaimsIdentity source) return;
                    var identity = OidcIdentity(source, oidc);
                    var authTime = long.TryParse(source.FindFirst("auth_time")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
                    await sessions.BeginAsync(identity, authTime, context.HttpContext.RequestAborted);
                    context.Principal = new ClaimsPrincipal(identity);
                    var idToken = context.Properties?.GetTokenValue("id_token");
                    if (context.Properties is not null && idToken is not null)
                        context.Properties.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
                };
                o.SaveTokens = true;   // trimmed to the id token above
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    // "Sign in again" (step-up): the provider must ask for the password, not reuse its session.
                    if (context.Properties.Items.TryGetValue(ReauthenticateItem, out var again) && again == "1")
                    {
                        context.ProtocolMessage.Prompt = "login";
                        context.ProtocolMessage.MaxAge = "0";
                    }
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.ClientId = oidc.ClientId;
                    if (string.IsNullOrEmpty(context.ProtocolMessage.IdTokenHint) && context.Properties.Items.TryGetValue(IdTokenHintItem, out var hint))
                        context.ProtocolMessage.IdTokenHint = hint;
                    return Task.CompletedTask;
                };
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
        builder.Services.AddOptions<DashboardAuthorizationOptions>().Configure<IOptions<SignInOptions>>((o, signIn) => o.StepUpWithin = signIn.Value.StepUpWithin);
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
                var identity = LocalSignIn.Identity(userName!, roles!);
                await http.RequestServices.GetRequiredService<SignInSessions>().BeginAsync(identity, cancellationToken: http.RequestAborted);
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            }).AllowAnonymous();
        }
        if (schemes.Oidc)
        {
            app.MapGet(OidcSignInPath, (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous();
        }
        // "Sign in again" for the step-up: the provider re-authenticates (prompt=login); a local user picks again.
        app.MapGet(SignInAgainPath, (HttpContext http, string? returnUrl) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var local = http.User.FindFirst(DashboardUser.SignInMethodClaim)?.Value == DashboardUser.LocalSignIn;
            if (schemes.Oidc && !(local && schemes.Local))
            {
                var properties = new AuthenticationProperties { RedirectUri = target };
                properties.Items[ReauthenticateItem] = "1";
                return Results.Challenge(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
            }
            return Results.LocalRedirect($"/signin?returnUrl={Uri.EscapeDataString(target)}");
        }).AllowAnonymous();
        app.MapPost(SignOutPath, async (HttpContext http) =>
        {
            var viaOidc = schemes.Oidc && http.User.Identity?.IsAuthenticated == true
                && http.User.FindFirst(DashboardUser.SignInMethodClaim)?.Value != DashboardUser.LocalSignIn;
            var idToken = viaOidc ? await http.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, "id_token") : null;
            // Open pages of this session lose their powers at their next revalidation.
            await http.RequestServices.GetRequiredService<SignInSessions>().RevokeAsync(http.User, http.RequestAborted);
            if (viaOidc)   // the cookie first, then the provider's end_session (with the id token as hint)
            {
                var properties = new AuthenticationProperties { RedirectUri = "/signin" };
                if (idToken is not null) properties.Items[IdTokenHintItem] = idToken;
                return Results.SignOut(properties, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
            }
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
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

    /// <summary>
    /// The signed-in user as the dashboard sees them: name, email, subject and issuer kept; roles (as
    /// <see cref="ClaimTypes.Role"/>) from the role claim's values that name a dashboard role or are mapped to one.
    /// </summary>
    internal static ClaimsIdentity OidcIdentity(ClaimsIdentity source, OidcSignInOptions oidc)
    {
        var identity = new ClaimsIdentity(source.AuthenticationType, oidc.NameClaim, ClaimTypes.Role);
        foreach (var claim in source.Claims)
            if (claim.Type != ClaimTypes.Role) identity.AddClaim(claim);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in source.FindAll(oidc.RoleClaim).Select(c => c.Value))
        {
            if (DashboardRoles.All.Contains(value)) roles.Add(value);
            if (oidc.RoleMapping.TryGetValue(value, out var mapped) && DashboardRoles.All.Contains(mapped)) roles.Add(mapped);
        }
        foreach (var role in DashboardRoles.All.Where(roles.Contains)) identity.AddClaim(new Claim(ClaimTypes.Role, role));
        return identity;
    }

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

        public static ClaimsIdentity Identity(string userName, string[] roles)
        {
            var claims = new List<Claim> { new(ClaimTypes.Name, userName.Trim()), new(DashboardUser.SignInMethodClaim, DashboardUser.LocalSignIn) };
            claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
            return new ClaimsIdentity(claims, "Local", ClaimTypes.Name, ClaimTypes.Role);
        }
    }
}
