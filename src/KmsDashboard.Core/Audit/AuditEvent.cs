namespace KmsDashboard.Core.Audit;

/// <summary>One CloudTrail event with its record parsed into typed fields; plain data, safe to hand to Razor.</summary>
public sealed record AuditEvent
{
    public required string Region { get; init; }
    /// <summary>The account whose CloudTrail holds the event: "" in the single-account set-up.</summary>
    public string Account { get; init; } = "";
    /// <summary>The name the dashboard knows <see cref="Account"/> by ("" in the single-account set-up).</summary>
    public string AccountName { get; init; } = "";
    public required string EventId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string EventName { get; init; }
    public string EventSource { get; init; } = "";
    public bool ReadOnly { get; init; }
    /// <summary>AwsApiCall, AwsServiceEvent, …</summary>
    public string EventType { get; init; } = "";
    /// <summary>LookupEvents' Username: the IAM user name or the role session name; empty for AWS's own events.</summary>
    public string Username { get; init; } = "";
    /// <summary>IAMUser, AssumedRole, AWSService, Root, …</summary>
    public string UserType { get; init; } = "";
    public string UserArn { get; init; } = "";
    /// <summary>The role behind an assumed-role session.</summary>
    public string? RoleName { get; init; }
    /// <summary>The AWS service that made the call on the user's behalf (e.g. s3.amazonaws.com).</summary>
    public string? InvokedBy { get; init; }
    public string AccessKeyId { get; init; } = "";
    public string SourceIpAddress { get; init; } = "";
    public string UserAgent { get; init; } = "";
    /// <summary>requestParameters.keyId as the caller wrote it (id, ARN or alias).</summary>
    public string? RequestKeyId { get; init; }
    public IReadOnlyDictionary<string, string> EncryptionContext { get; init; } = Empty;
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>ARNs of the KMS keys the event names.</summary>
    public IReadOnlyList<string> KeyArns { get; init; } = [];
    public IReadOnlyList<AuditResource> Resources { get; init; } = [];
    public string RequestId { get; init; } = "";
    /// <summary>The full CloudTrail record, as CloudTrail returned it.</summary>
    public string Record { get; init; } = "";

    public bool Succeeded => ErrorCode is null;

    /// <summary>A read this dashboard made itself (its refreshes and probes): hidden by default in the audit views.</summary>
    public bool IsDashboardRead => ReadOnly && KmsDashboard.Core.Aws.DashboardIdentity.IsOwnUserAgent(UserAgent);

    /// <summary>"Success" or the error code.</summary>
    public string Outcome => ErrorCode ?? "Success";

    /// <summary>Who, as a person reads it: user, role/session, or the AWS service.</summary>
    public string Actor => UserType switch
    {
        "AssumedRole" when RoleName is not null => $"{RoleName}/{Username}",
        "AWSService" or "" when Username.Length == 0 => InvokedBy ?? "AWS",
        _ => Username.Length > 0 ? Username : UserArn,
    };

    /// <summary>The key ids (the last part of each key ARN).</summary>
    public IEnumerable<string> KeyIds => KeyArns.Select(a => a[(a.LastIndexOf('/') + 1)..]);

    /// <summary>Approximate memory the event holds (UTF-16 strings plus object overhead), for size-bounded views.</summary>
    public long ApproximateBytes()
    {
        long chars = Region.Length + Account.Length + AccountName.Length + EventId.Length + EventName.Length + EventSource.Length + EventType.Length + Username.Length
            + UserType.Length + UserArn.Length + (RoleName?.Length ?? 0) + (InvokedBy?.Length ?? 0) + AccessKeyId.Length
            + SourceIpAddress.Length + UserAgent.Length + (RequestKeyId?.Length ?? 0) + (ErrorCode?.Length ?? 0)
            + (ErrorMessage?.Length ?? 0) + RequestId.Length + Record.Length;
        foreach (var (name, value) in EncryptionContext) chars += name.Length + value.Length + 16;
        foreach (var arn in KeyArns) chars += arn.Length + 12;
        foreach (var r in Resources) chars += r.Type.Length + r.Arn.Length + 24;
        // ~24 bytes per string header and ~20 strings, plus the record itself.
        return chars * 2 + 24 * 24 + 120;
    }

    internal static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
