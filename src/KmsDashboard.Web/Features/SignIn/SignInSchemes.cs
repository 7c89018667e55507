namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// Which sign-ins this instance offers, decided once at start-up. <see cref="LocalWithAws"/>: the local sign-in is on
/// against a real AWS account (<c>Authentication:Local:AllowWithAws</c>), which every page shows in red.
/// </summary>
public sealed record SignInSchemes(bool Local, bool Oidc, bool AnonymousRead = false, bool LocalWithAws = false)
{
    /// <summary>The Content-Security-Policy: the identity provider's origin may be a form's redirect target (sign-out).</summary>
    public string ContentSecurityPolicy { get; init; } = Hosting.SecurityHeadersExtensions.ContentSecurityPolicy;
}
