using System.Security.Claims;

namespace KmsDashboard.Core.Security;

/// <summary>
/// Who is acting, as the journal and the banner show it: a display name, a stable id, the dashboard roles held, and how
/// they signed in.
/// </summary>
public sealed record DashboardUser(string Name, IReadOnlyList<string> Roles, bool IsLocalSignIn)
{
    /// <summary>The claim a local (development) sign-in carries, so the banner can mark it.</summary>
    public const string SignInMethodClaim = "kmsdashboard:signin";
    public const string LocalSignIn = "local";

    /// <summary>When the user last signed in (Unix seconds): the step-up for destructive actions reads it.</summary>
    public const string SignedInAtClaim = "kmsdashboard:signed_in_at";

    /// <summary>The sign-in session's id: sign-out revokes it, and open pages lose their powers.</summary>
    public const string SessionClaim = "kmsdashboard:sid";

    public static DateTimeOffset? SignedInAt(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(SignedInAtClaim)?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    /// <summary>
    /// The stable identity: <c>oidc|{issuer}|{sub}</c> for an OpenID Connect sign-in (a display name or e-mail can change
    /// or be shared; the subject at its issuer cannot), <c>local|{name}</c> otherwise. Plans and the journal key on it.
    /// </summary>
    public string Id { get; init; } = "local|" + Name;

    public static DashboardUser From(ClaimsPrincipal principal)
    {
        var identity = principal.Identity;
        var authenticated = identity is { IsAuthenticated: true };
        var sub = principal.FindFirst("sub") ?? principal.FindFirst(ClaimTypes.NameIdentifier);
        var name = authenticated
            ? identity!.Name ?? principal.FindFirst(ClaimTypes.Email)?.Value ?? sub?.Value ?? "(unnamed)"
            : "(anonymous)";
        var roles = DashboardRoles.All.Where(principal.IsInRole).ToArray();
        var local = principal.HasClaim(SignInMethodClaim, LocalSignIn);
        string id;
        if (!authenticated) id = "anonymous";
        else if (!local && sub is { Value.Length: > 0 })
        {
            // The handler stamps each claim with the token's issuer; an "iss" claim, when kept, says the same.
            var issuer = principal.FindFirst("iss")?.Value ?? sub.Issuer;
            id = $"oidc|{issuer}|{sub.Value}";
        }
        else id = "local|" + name;
        return new DashboardUser(name, roles, local) { Id = id };
    }

    public override string ToString() => Roles.Count == 0 ? Name : $"{Name} ({string.Join(", ", Roles)})";
}
