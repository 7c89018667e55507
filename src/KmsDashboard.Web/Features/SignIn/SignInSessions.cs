using System.Collections.Concurrent;
using System.Security.Claims;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// What the server knows about sign-in sessions, so an open page (a Blazor circuit, which keeps the principal it
/// started with) can be told it lost its powers: a session signed out, past its cookie's expiry, or replaced by a
/// newer sign-in of the same user with other roles. The cookie check uses it too, so a signed-out cookie replayed is
/// refused. Kept in the sign-in store (<see cref="SignInSessionStore"/>), so a sign-out on one instance is honoured by
/// the others and after a restart; an answer is reused for <see cref="CacheFor"/> before the store is asked again.
/// </summary>
public sealed class SignInSessions(SignInSessionStore store, TimeProvider time)
{
    /// <summary>How long an answer about a session is reused (every request with the cookie asks).</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (string? Problem, DateTimeOffset At)> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    /// <summary>Adds the session and sign-in time claims to a new sign-in and records it.</summary>
    public async Task BeginAsync(ClaimsIdentity identity, DateTimeOffset? signedInAt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var now = time.GetUtcNow();
        var at = signedInAt ?? now;
        var sid = Guid.NewGuid().ToString("N");
        identity.AddClaim(new Claim(DashboardUser.SessionClaim, sid));
        if (!identity.HasClaim(c => c.Type == DashboardUser.SignedInAtClaim))
            identity.AddClaim(new Claim(DashboardUser.SignedInAtClaim, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var principal = new ClaimsPrincipal(identity);
        await store.BeginAsync(sid, UserKey(principal), RolesKey(principal), now, cancellationToken);
    }

    /// <summary>The cookie was seen (and maybe renewed) with this expiry; the store is written only when it moves forward.</summary>
    public async Task TouchAsync(ClaimsPrincipal principal, DateTimeOffset? expires, CancellationToken cancellationToken = default)
    {
        if (Sid(principal) is not { } sid || expires is not { } e) return;
        if (_expiries.TryGetValue(sid, out var known) && known >= e) return;
        await store.ExtendAsync(sid, e, cancellationToken);
        _expiries[sid] = e;
        Prune(_expiries, time.GetUtcNow(), (_, value, now) => value < now);
    }

    public async Task RevokeAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (Sid(principal) is not { } sid) return;
        var now = time.GetUtcNow();
        await store.RevokeAsync(sid, now, cancellationToken);
        _answers[sid] = ("signed out", now);
    }

    /// <summary>Why <paramref name="principal"/> no longer holds, or null while it does.</summary>
    public async Task<string?> ProblemAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (Sid(principal) is not { } sid) return null;
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(sid, out var cached) && now - cached.At < CacheFor) return cached.Problem;
        var (session, latest) = await store.FindAsync(sid, cancellationToken);
        var problem =
            session is null ? null   // a session recorded nowhere (older than the store): its cookie's own expiry holds it
            : session.RevokedAt is not null ? "signed out"
            : session.Expires is { } expires && expires <= now.UtcDateTime ? "the sign-in expired"
            : latest is not null && latest.Id != session.Id && latest.SignedInAt > session.SignedInAt && latest.Roles != session.Roles
                ? "signed in again with other roles"
                : null;
        _answers[sid] = (problem, now);
        Prune(_answers, now, (_, value, at) => at - value.At >= CacheFor);
        return problem;
    }

    private static string? Sid(ClaimsPrincipal principal) => principal.FindFirst(DashboardUser.SessionClaim)?.Value;

    /// <summary>A user's stable identity: the provider's issuer and subject, or the local name.</summary>
    public static string UserKey(ClaimsPrincipal principal) =>
        principal.FindFirst("sub") is { } sub ? $"{sub.Issuer}|{sub.Value}" : $"local|{principal.Identity?.Name}";

    private static string RolesKey(ClaimsPrincipal principal) => string.Join(",", DashboardRoles.All.Where(principal.IsInRole));

    private static void Prune<T>(ConcurrentDictionary<string, T> map, DateTimeOffset now, Func<string, T, DateTimeOffset, bool> stale)
    {
        if (map.Count < 10_000) return;
        foreach (var (key, value) in map)
            if (stale(key, value, now)) map.TryRemove(key, out _);
    }
}
