namespace KmsDashboard.Sandbox.Hosting;

/// <summary>One AWS service the sandbox imitates (KMS, CloudWatch, CloudTrail, S3), plugged into the shared dispatcher.</summary>
public interface ISandboxService
{
    /// <summary>The SigV4 signing name the service answers to: kms, monitoring, cloudtrail, s3.</summary>
    string SigningName { get; }

    /// <summary>Handles one request already attributed to a Region and caller; writes the whole response.</summary>
    Task HandleAsync(SandboxRequest request, CancellationToken cancellationToken);
}
