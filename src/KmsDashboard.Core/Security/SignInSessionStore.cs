using KmsDashboard.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Security;

/// <summary>
/// The sign-in sessions in the store, so a sign-out on one instance is honoured by every other and after a restart.
/// </summary>
public sealed class SignInSessionStore(IDbContextFactory<SignInDbContext> contexts, ILogger<SignInSessionStore> logger)
{
    /// <summary>Sessions past their expiry (or a day old without one) are deleted this long after.</summary>
    public static readonly TimeSpan KeepAfterExpiry = TimeSpan.FromDays(1);

    private readonly SchemaGate _schema = new();

    /// <summary>Applies the store's migrations (first start: creates the file or the tables).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DashboardStoreSchema.MigrateAsync(db, "signin_sessions", logger, ct);
    }, cancellationToken);

    public async Task BeginAsync(string id, string user, string roles, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Sessions.Add(new SignInSessionRecord { Id = id, User = user, Roles = roles, SignedInAt = at.UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        var before = (at - KeepAfterExpiry).UtcDateTime;
        var oldest = before.AddDays(-1);
        await db.Sessions.Where(s => s.Expires != null ? s.Expires < before : s.SignedInAt < oldest).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Moves the session's expiry forward to <paramref name="expires"/> (never back).</summary>
    public async Task ExtendAsync(string id, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = expires.UtcDateTime;
        await db.Sessions.Where(s => s.Id == id && (s.Expires == null || s.Expires < at))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Expires, at), cancellationToken);
    }

    public async Task RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var when = at.UtcDateTime;
        await db.Sessions.Where(s => s.Id == id && s.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, when), cancellationToken);
    }

    /// <summary>The session, and the newest sign-in of the same user (which may be the session itself), or nulls.</summary>
    public async Task<(SignInSessionRecord? Session, SignInSessionRecord? Latest)> FindAsync(string id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null) return (null, null);
        var latest = await db.Sessions.AsNoTracking().Where(s => s.User == session.User)
            .OrderByDescending(s => s.SignedInAt).FirstOrDefaultAsync(cancellationToken);
        return (session, latest);
    }
}
