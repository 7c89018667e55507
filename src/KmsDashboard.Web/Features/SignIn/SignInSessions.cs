using System.Collections.Concurrent;
using System.Security.Claims;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// What the server knows about sign-in sessions, so an open page (a Blazor circuit, which keeps the principal it
/// started with) can be told it lost its powers: a session signed out, past its cookie's expiry, or replaced by a
/// newer sign-in of the same user with other roles. The cookie check uses it too, so a signed-out cookie replayed is
/// refused. Kept in memory: after a restart, circuits are new and cookies are judged by their own expiry.
/// </summary>
public sealed class SignInSessions(TimeProvider time)
{
    private sealed record Session(string User, string Roles, DateTimeOffset SignedInAt)
    {
        public DateTimeOffset? Expires { get; set; }
        public bool Revoked { get; set; }
    }

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Roles, DateTimeOffset At)> _latestRoles = new(StringComparer.Ordinal);

    /// <summary>Adds the session and sign-in time claims to a new sign-in and records it.</summary>
    public void Begin(ClaimsIdentity identity, DateTimeOffset? signedInAt = null)
    {
        var now = time.GetUtcNow();
        var at = signedInAt ?? now;
        var sid = Guid.NewGuid().ToString("N");
        identity.AddClaim(new Claim(DashboardUser.SessionClaim, sid));
        if (!identity.HasClaim(c => c.Type == DashboardUser.SignedInAtClaim))
            identity.AddClaim(new Claim(DashboardUser.SignedInAtClaim, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(identity);
        var user = UserKey(principal);
        var roles = RolesKey(principal);
        _sessions[sid] = new Session(user, roles, now);
        _latestRoles[user] = (roles, now);
        Prune(now);
    }

    /// <summary>The cookie was seen (and maybe renewed) with this expiry.</summary>
    public void Touch(ClaimsPrincipal principal, DateTimeOffset? expires)
    {
        if (Sid(principal) is { } sid && _sessions.TryGetValue(sid, out var session) && expires is { } e)
            session.Expires = session.Expires is { } known && known > e ? known : e;
    }

    public void Revoke(ClaimsPrincipal principal)
    {
        if (Sid(principal) is { } sid && _sessions.TryGetValue(sid, out var session)) session.Revoked = true;
    }

    /// <summary>Why <paramref name="principal"/> no longer holds, or null while it does.</summary>
    public string? Problem(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (Sid(principal) is not { } sid || !_sessions.TryGetValue(sid, out var session))
            return null;   // a session from before a restart: its cookie's own expiry still holds it
        if (session.Revoked) return "signed out";
        if (session.Expires is { } expires && expires <= time.GetUtcNow()) return "the sign-in expired";
        if (_latestRoles.TryGetValue(session.User, out var latest) && latest.At > session.SignedInAt && latest.Roles != session.Roles)
            return "signed in again with other roles";
        return null;
    }

    private static string? Sid(ClaimsPrincipal principal) => principal.FindFirst(DashboardUser.SessionClaim)?.Value;

    /// <summary>A user's stable identity: the provider's issuer and subject, or the local name.</summary>
    public static string UserKey(ClaimsPrincipal principal) =>
        principal.FindFirst("sub") is { } sub ? $"{sub.Issuer}|{sub.Value}" : $"local|{principal.Identity?.Name}";

    private static string RolesKey(ClaimsPrincipal principal) => string.Join(",", DashboardRoles.All.Where(principal.IsInRole));

    private void Prune(DateTimeOffset now)
    {
        if (_sessions.Count < 1000) return;
        foreach (var (sid, session) in _sessions)
            if ((session.Expires ?? session.SignedInAt.AddDays(1)) < now.AddHours(-1)) _sessions.TryRemove(sid, out _);
    }
}
