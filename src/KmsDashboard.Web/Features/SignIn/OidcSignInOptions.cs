namespace KmsDashboard.Web.Features.SignIn;

/// <summary>OpenID Connect sign-in; configured when <see cref="Authority"/> and <see cref="ClientId"/> are set.</summary>
public sealed class OidcSignInOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The token claim holding the dashboard roles (Viewer, Auditor, Operator, Admin).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The token claim shown and journaled as the user's name.</summary>
    public string NameClaim { get; set; } = "name";

    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>Whether the provider's metadata must come over HTTPS (default; false only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
