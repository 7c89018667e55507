using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// One API event the sandbox served or caused, as AWS would record it: the feed for the sandbox's CloudTrail
/// (every event) and CloudWatch (successful KMS calls). Services publish these to <see cref="SandboxCallLog"/>.
/// </summary>
public sealed record SandboxCall
{
    public required DateTimeOffset Time { get; init; }
    public required string Region { get; init; }
    /// <summary>Signing name: kms, monitoring, cloudtrail, s3.</summary>
    public required string Service { get; init; }
    /// <summary>The API name, e.g. Decrypt; also events AWS emits itself, e.g. SynchronizeMultiRegionKey.</summary>
    public required string Operation { get; init; }
    public required string RequestId { get; init; }
    /// <summary>The CloudTrail eventID of this record (KMS GetKeyLastUsage reports it for the key's last use).</summary>
    public string EventId { get; init; } = Guid.NewGuid().ToString();
    public string AccessKeyId { get; init; } = "";
    public string SourceIp { get; init; } = "127.0.0.1";
    public string UserAgent { get; init; } = "";
    public bool ReadOnly { get; init; }
    /// <summary>The request body as sent (the plaintext and similar secrets removed).</summary>
    public JsonObject? RequestParameters { get; init; }
    public JsonObject? ResponseElements { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>Key ARNs (or other resource ARNs) the call touched.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];
    /// <summary>AwsServiceEvent for events AWS raises itself (SynchronizeMultiRegionKey, scheduled rotation, deletion).</summary>
    public string EventType { get; init; } = "AwsApiCall";
    /// <summary>The AWS service that made the call on the caller's behalf (s3.amazonaws.com for SSE-KMS), else null.</summary>
    public string? InvokedBy { get; init; }
    /// <summary>Who made the call when its access key does not say (STS records the caller of AssumeRole in the role's account).</summary>
    internal CloudTrail.TrailPrincipal? Principal { get; init; }
}
