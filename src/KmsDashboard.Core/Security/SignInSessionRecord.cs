namespace KmsDashboard.Core.Security;

/// <summary>One sign-in, as stored: whose, with which roles, until when, and whether it was signed out.</summary>
public sealed class SignInSessionRecord
{
    /// <summary>The session id carried in the cookie (<see cref="DashboardUser.SessionClaim"/>).</summary>
    public string Id { get; set; } = "";
    /// <summary>The user's stable identity (issuer and subject, or the local name).</summary>
    public string User { get; set; } = "";
    /// <summary>The dashboard roles held, comma-separated.</summary>
    public string Roles { get; set; } = "";
    /// <summary>UTC: when the server recorded the sign-in.</summary>
    public DateTime SignedInAt { get; set; }
    /// <summary>UTC: the cookie's latest known expiry.</summary>
    public DateTime? Expires { get; set; }
    /// <summary>UTC: when it was signed out (null while it holds).</summary>
    public DateTime? RevokedAt { get; set; }
}
