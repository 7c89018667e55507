namespace KmsDashboard.Web.Features.SignIn;

/// <summary>The <c>Authentication</c> section: the local (development) sign-in and OpenID Connect.</summary>
public sealed class SignInOptions
{
    public const string Section = "Authentication";

    public LocalSignInOptions Local { get; set; } = new();

    public OidcSignInOptions Oidc { get; set; } = new();
}
