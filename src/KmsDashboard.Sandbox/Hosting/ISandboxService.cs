using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>One AWS service the sandbox imitates (KMS, CloudWatch, CloudTrail, S3), plugged into the shared dispatcher.</summary>
public interface ISandboxService
{
    /// <summary>The SigV4 signing name the service answers to: kms, monitoring, cloudtrail, s3.</summary>
    string SigningName { get; }

    /// <summary>Handles one request already attributed to a Region and caller; writes the whole response.</summary>
    Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken);

    /// <summary>Answers an injected fault (outage, throttling) in the service's own error format; JSON unless overridden.</summary>
    Task WriteFaultAsync(HttpContext http, int status, string code, string message) =>
        SandboxDispatcher.WriteJsonErrorAsync(http, status, code, message);

    /// <summary>
    /// Answers a request signed with role-session credentials that have expired (or were ended by a reset), or whose
    /// session token is missing or wrong, in the service's own error format; JSON unless overridden.
    /// </summary>
    Task WriteAuthErrorAsync(HttpContext http, bool expired) => expired
        ? SandboxDispatcher.WriteJsonErrorAsync(http, 400, "ExpiredTokenException", "The security token included in the request is expired")
        : SandboxDispatcher.WriteJsonErrorAsync(http, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
}
