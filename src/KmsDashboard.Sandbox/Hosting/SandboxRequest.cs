using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>An incoming AWS request with what the SigV4 Authorization header says about it.</summary>
public sealed class SandboxRequest(HttpContext http, string region, string service, string accessKeyId, string requestId)
{
    public HttpContext Http { get; } = http;
    /// <summary>The Region from the credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    public string Region { get; } = region;
    public string Service { get; } = service;
    public string AccessKeyId { get; } = accessKeyId;
    /// <summary>Sent back as <c>x-amzn-RequestId</c>.</summary>
    public string RequestId { get; } = requestId;
    /// <summary>The account whose state the request reads and changes: the session's for an AssumeRole key, else the management account's.</summary>
    public Accounts.SandboxAccount? Account { get; init; }
    /// <summary>The role session when signed with temporary credentials from AssumeRole.</summary>
    public Accounts.StsSession? Session { get; init; }
    /// <summary>Who signed the request, as CloudTrail and key policies name it.</summary>
    internal CloudTrail.TrailPrincipal Principal { get; init; } = CloudTrail.TrailPrincipals.ForAccessKey(accessKeyId);
    /// <summary>The account the signer belongs to.</summary>
    public string? AccountId => Account?.Id;
    public string? Target => Http.Request.Headers["X-Amz-Target"].FirstOrDefault();
    public string? UserAgent => Http.Request.Headers.UserAgent.FirstOrDefault();
    public string SourceIp => Http.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
}
