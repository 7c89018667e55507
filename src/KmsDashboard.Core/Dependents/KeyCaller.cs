namespace KmsDashboard.Core.Dependents;

/// <summary>
/// A principal or AWS service seen using a key in CloudTrail in one Region over the window: how often, when last,
/// which operations, and the newest event ids as evidence.
/// </summary>
public sealed record KeyCaller
{
    public required string Region { get; init; }
    /// <summary>The IAM user or role (sessions of one role are one caller), the account root, or the AWS service.</summary>
    public required string Principal { get; init; }
    /// <summary>CloudTrail's userIdentity.type: IAMUser, AssumedRole, Root, AWSService, …</summary>
    public string Kind { get; init; } = "";
    /// <summary>The AWS service that called on the principal's behalf (e.g. s3.amazonaws.com), if any.</summary>
    public string? Via { get; init; }
    /// <summary>The CloudTrail user name to search the audit page by (a user or role session name), if any.</summary>
    public string? Username { get; init; }
    public int Count { get; init; }
    public int Errors { get; init; }
    public DateTimeOffset LastSeen { get; init; }
    public IReadOnlyList<string> Operations { get; init; } = [];
    public IReadOnlyList<string> EvidenceEventIds { get; init; } = [];

    public bool IsService => Kind == "AWSService";
}
