using System.Security.Claims;

namespace KmsDashboard.Core.Security;

/// <summary>Who is acting, as the journal and the banner show it: a name, the dashboard roles held, and how they signed in.</summary>
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

    public static DashboardUser From(ClaimsPrincipal principal)
    {
        var identity = principal.Identity;
        var name = identity is { IsAuthenticated: true }
            ? identity.Name ?? principal.FindFirst(ClaimTypes.Email)?.Value ?? principal.FindFirst("sub")?.Value ?? "(unnamed)"
            : "(anonymous)";
        var roles = DashboardRoles.All.Where(principal.IsInRole).ToArray();
        return new DashboardUser(name, roles, principal.HasClaim(SignInMethodClaim, LocalSignIn));
    }

    public override string ToString() => Roles.Count == 0 ? Name : $"{Name} ({string.Join(", ", Roles)})";
}
