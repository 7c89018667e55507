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

    /// <summary>Destructive actions (disable, schedule deletion, change of primary) need a sign-in this recent (step-up).</summary>
    public TimeSpan StepUpWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an open page re-checks its user (signed out, expired, other roles).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
