using System.Collections.Concurrent;
using System.Security.Cryptography;
using KmsDashboard.Sandbox.CloudTrail;

namespace KmsDashboard.Sandbox.Accounts;

/// <summary>
/// Temporary credentials STS AssumeRole issued: which account and role session an <c>ASIA…</c> access key belongs to,
/// until when (on the sandbox clock), and the principal CloudTrail and key policies name for it. Shared by every account.
/// Every other access key is a long-term key of the management account, named by <see cref="TrailPrincipals"/>.
/// </summary>
public sealed class StsSessions
{
    private readonly ConcurrentDictionary<string, StsSession> _sessions = new(StringComparer.Ordinal);

    public StsSession? Find(string accessKeyId) => _sessions.TryGetValue(accessKeyId, out var session) ? session : null;

    /// <summary>The principal a request signed with <paramref name="accessKeyId"/> acts as.</summary>
    internal TrailPrincipal PrincipalFor(string accessKeyId) =>
        Find(accessKeyId)?.Principal ?? TrailPrincipals.ForAccessKey(accessKeyId);

    internal StsSession Issue(SandboxRole role, string sessionName, string? sourceIdentity, DateTimeOffset now, TimeSpan duration, bool chained)
    {
        while (true)
        {
            var session = new StsSession(
                "ASIA" + RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16),
                RandomText("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40),
                "IQoJb3JpZ2luX2VjE" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(180)),
                role, sessionName, sourceIdentity, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
                DateTimeOffset.FromUnixTimeSeconds((now + duration).ToUnixTimeSeconds()), chained);
            if (_sessions.TryAdd(session.AccessKeyId, session)) return session;
        }
    }

    /// <summary>A reset ends every session: their keys are answered ExpiredToken from then on.</summary>
    internal void EndAll()
    {
        foreach (var session in _sessions.Values) session.End();
    }

    private static string RandomText(string alphabet, int length) =>
        new([.. RandomNumberGenerator.GetItems<char>(alphabet, length)]);
}

/// <summary>One role session: its credentials, the role and account, its name and source identity, and when it expires.</summary>
public sealed class StsSession
{
    internal StsSession(string accessKeyId, string secretAccessKey, string sessionToken, SandboxRole role, string sessionName,
        string? sourceIdentity, DateTimeOffset created, DateTimeOffset expiration, bool chained)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Role = role;
        SessionName = sessionName;
        SourceIdentity = sourceIdentity;
        Created = created;
        Expiration = expiration;
        Chained = chained;
        Principal = new TrailPrincipal("AssumedRole", role.Name, role.RoleId, sessionName)
        {
            SourceIdentity = sourceIdentity,
            SessionCreated = created,
        };
    }

    public string AccessKeyId { get; }
    public string SecretAccessKey { get; }
    public string SessionToken { get; }
    public SandboxRole Role { get; }
    public string AccountId => Role.AccountId;
    public string SessionName { get; }
    public string? SourceIdentity { get; }
    public DateTimeOffset Created { get; }
    public DateTimeOffset Expiration { get; }
    /// <summary>Assumed with another session's credentials (role chaining: at most one hour).</summary>
    public bool Chained { get; }
    public string Arn => $"arn:aws:sts::{AccountId}:assumed-role/{Role.Name}/{SessionName}";
    public string AssumedRoleId => $"{Role.RoleId}:{SessionName}";
    internal TrailPrincipal Principal { get; }

    private volatile bool _ended;

    /// <summary>Expired at <paramref name="now"/> (sandbox clock), or ended by a reset.</summary>
    public bool IsExpired(DateTimeOffset now) => _ended || now >= Expiration;

    internal void End() => _ended = true;
}
