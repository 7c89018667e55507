using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>
/// Credentials of a role assumed with STS AssumeRole through the dashboard's own STS client (so the sandbox, moto or a
/// configured endpoint is asked, not AWS's global endpoint), renewed five minutes before they expire.
/// </summary>
public sealed class AssumedRoleCredentials : RefreshingAWSCredentials
{
    private readonly IAmazonSecurityTokenService _sts;
    private readonly TimeProvider _time;

    public AssumedRoleCredentials(IAmazonSecurityTokenService sts, string roleArn, string sessionName, string? externalId,
        string? sourceIdentity = null, int durationSeconds = 3600, TimeProvider? time = null)
    {
        _sts = sts;
        _time = time ?? TimeProvider.System;
        RoleArn = roleArn;
        SessionName = sessionName;
        ExternalId = string.IsNullOrEmpty(externalId) ? null : externalId;
        SourceIdentity = string.IsNullOrEmpty(sourceIdentity) ? null : sourceIdentity;
        DurationSeconds = durationSeconds;
        PreemptExpiryTime = TimeSpan.FromMinutes(5);
    }

    public string RoleArn { get; }
    public string SessionName { get; }
    public string? ExternalId { get; }
    public string? SourceIdentity { get; }
    public int DurationSeconds { get; }

    /// <summary>How many times the role was assumed (for tests and benchmarks: credentials are reused until they near expiry).</summary>
    public int AssumeCount => Volatile.Read(ref _assumeCount);
    private int _assumeCount;

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var response = await _sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = RoleArn,
            RoleSessionName = SessionName,
            ExternalId = ExternalId,
            SourceIdentity = SourceIdentity,
            DurationSeconds = DurationSeconds,
        });
        Interlocked.Increment(ref _assumeCount);
        var c = response.Credentials ?? throw new AmazonClientException($"STS AssumeRole of {RoleArn} answered without credentials.");
        var expires = c.Expiration is { } e ? e.ToUniversalTime() : _time.GetUtcNow().UtcDateTime.AddSeconds(DurationSeconds);
        return new CredentialsRefreshState(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expires);
    }
}
