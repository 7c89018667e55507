using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Who made a call, as CloudTrail's <c>userIdentity</c> shows it: an IAM user, an assumed role, or AWS itself.</summary>
internal sealed record TrailPrincipal(string Type, string Name, string PrincipalId, string? SessionName = null)
{
    public static readonly TrailPrincipal AwsService = new("AWSService", "", "");

    /// <summary>An assumed role's SourceIdentity (CloudTrail's <c>sessionContext.sourceIdentity</c>), when the session set one.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>When the role session was created; null: a plausible time before the event (the demo's sessions).</summary>
    public DateTimeOffset? SessionCreated { get; init; }

    /// <summary>The principal's own account when it is not the account recording the event (a caller from another account).</summary>
    public string? AccountId { get; init; }

    /// <summary>What LookupEvents reports as <c>Username</c>: the user name, or the role session name.</summary>
    public string Username => Type switch
    {
        "IAMUser" => Name,
        "AssumedRole" => SessionName ?? Name,
        _ => "",
    };

    /// <summary>The ARNs a key policy may name this caller by (the sandbox's AWS service principal has none).</summary>
    public Kms.CallerIdentity Caller(string accountId) => CallerIn(AccountId ?? accountId);

    private Kms.CallerIdentity CallerIn(string accountId) => Type switch
    {
        "AssumedRole" => new($"arn:aws:sts::{accountId}:assumed-role/{Name}/{SessionName}", $"arn:aws:iam::{accountId}:role/{Name}"),
        _ => new($"arn:aws:iam::{accountId}:user/{Name}"),
    };

    public JsonObject ToUserIdentity(string accountId, string accessKeyId, DateTimeOffset eventTime, string? invokedBy)
    {
        if (Type != "AWSService" && AccountId is { } own) accountId = own;
        JsonObject identity;
        switch (Type)
        {
            case "IAMUser":
                identity = new JsonObject
                {
                    ["type"] = "IAMUser",
                    ["principalId"] = PrincipalId,
                    ["arn"] = $"arn:aws:iam::{accountId}:user/{Name}",
                    ["accountId"] = accountId,
                    ["accessKeyId"] = accessKeyId,
                    ["userName"] = Name,
                };
                break;
            case "AssumedRole":
                identity = new JsonObject
                {
                    ["type"] = "AssumedRole",
                    ["principalId"] = $"{PrincipalId}:{SessionName}",
                    ["arn"] = $"arn:aws:sts::{accountId}:assumed-role/{Name}/{SessionName}",
                    ["accountId"] = accountId,
                    ["accessKeyId"] = accessKeyId,
                    ["sessionContext"] = new JsonObject
                    {
                        ["sessionIssuer"] = new JsonObject
                        {
                            ["type"] = "Role",
                            ["principalId"] = PrincipalId,
                            ["arn"] = $"arn:aws:iam::{accountId}:role/{Name}",
                            ["accountId"] = accountId,
                            ["userName"] = Name,
                        },
                        ["attributes"] = new JsonObject
                        {
                            ["creationDate"] = TrailClockFormat.Iso(SessionCreated ?? eventTime.AddMinutes(-17)),
                            ["mfaAuthenticated"] = "false",
                        },
                    },
                };
                if (SourceIdentity is not null) identity["sessionContext"]!["sourceIdentity"] = SourceIdentity;
                break;
            default:
                return new JsonObject { ["accountId"] = accountId, ["invokedBy"] = invokedBy ?? "kms.amazonaws.com" };
        }
        if (invokedBy is not null) identity["invokedBy"] = invokedBy;
        return identity;
    }
}
