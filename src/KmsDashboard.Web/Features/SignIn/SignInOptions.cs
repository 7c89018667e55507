namespace KmsDashboard.Web.Features.SignIn;

/// <summary>The <c>Authentication</c> section: the local (development) sign-in and OpenID Connect.</summary>
public sealed class SignInOptions
{
    public const string Section = "Authentication";

    public LocalSignInOptions Local { get; set; } = new();

    /// <summary>
    /// Whether pages that only read (overview, key map, key pages, usage, Regions) open without signing in. Unset: yes on
    /// the sandbox (its demo account holds nothing secret), no against AWS, where every page needs a Viewer role or above.
    /// </summary>
    public bool? AnonymousRead { get; set; }

    public OidcSignInOptions Oidc { get; set; } = new();
}
