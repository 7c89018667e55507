namespace KmsDashboard.Web.Features.SignIn;

/// <summary>OpenID Connect sign-in; configured when <see cref="Authority"/> and <see cref="ClientId"/> are set.</summary>
public sealed class OidcSignInOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The token claim holding the dashboard roles (Viewer, Auditor, Operator, Admin).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Values of <see cref="RoleClaim"/> (e.g. the provider's group names) and the dashboard role each gives:
    /// <c>"kms-admins": "Admin"</c>. A claim value that is itself a role name (Viewer, Auditor, Operator, Admin) counts too.
    /// </summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The token claim shown and journaled as the user's name.</summary>
    public string NameClaim { get; set; } = "name";

    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>Whether the provider's metadata must come over HTTPS (default; false only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
