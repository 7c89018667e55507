using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>
/// The least-privilege key policy the new-key-set wizard shows before using it: the account root (so IAM policies and
/// recovery keep working), key administrators without cryptographic use, key users with use only, optionally only
/// through named AWS services and with a required encryption context.
/// </summary>
public static partial class KeyPolicyTemplate
{
    public static readonly string[] AdministratorActions =
    [
        "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
        "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
        "kms:RotateKeyOnDemand", "kms:ReplicateKey", "kms:UpdatePrimaryRegion",
    ];

    public static readonly string[] UserActions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountId();

    [GeneratedRegex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalArn();

    [GeneratedRegex("^[a-z0-9-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    /// <summary>What is wrong with the choices (empty when they make a policy).</summary>
    public static IReadOnlyList<string> Check(KeyPolicyChoices choices)
    {
        var problems = new List<string>();
        if (!AccountId().IsMatch(choices.AccountId ?? "")) problems.Add($"'{choices.AccountId}' is not an AWS account id (12 digits).");
        if (choices.Administrators.Count == 0) problems.Add("Name at least one key administrator (an IAM role or user ARN).");
        foreach (var arn in choices.Administrators.Concat(choices.Users))
            if (!PrincipalArn().IsMatch(arn)) problems.Add($"'{arn}' is not an IAM role or user ARN such as arn:aws:iam::123456789012:role/KeyAdmin.");
        foreach (var service in choices.ViaServices)
            if (!ServiceName().IsMatch(service)) problems.Add($"'{service}' is not an AWS service name such as s3 or secretsmanager.");
        foreach (var (key, value) in choices.EncryptionContext)
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrEmpty(value)) problems.Add("Each encryption-context condition needs a key and a value.");
        return problems;
    }

    /// <summary>The policy JSON (indented) for a key set living in <paramref name="regions"/>.</summary>
    public static string Build(KeyPolicyChoices choices, IReadOnlyList<string> regions)
    {
        var statements = new JsonArray
        {
            Statement("EnableIamPolicies", new JsonObject { ["AWS"] = $"arn:aws:iam::{choices.AccountId}:root" }, ["kms:*"], null),
            Statement("KeyAdministrators", Principals(choices.Administrators), AdministratorActions, null),
        };
        if (choices.Users.Count > 0)
        {
            JsonObject? condition = null;
            if (choices.ViaServices.Count > 0 || choices.EncryptionContext.Count > 0)
            {
                var equals = new JsonObject();
                if (choices.ViaServices.Count > 0)
                    equals["kms:ViaService"] = new JsonArray([.. choices.ViaServices.SelectMany(s => regions.Select(r => (JsonNode?)$"{s}.{r}.amazonaws.com"))]);
                foreach (var (key, value) in choices.EncryptionContext.OrderBy(p => p.Key, StringComparer.Ordinal))
                    equals[$"kms:EncryptionContext:{key}"] = value;
                condition = new JsonObject { ["StringEquals"] = equals };
            }
            statements.Add(Statement("KeyUsers", Principals(choices.Users), UserActions, condition));
        }
        var policy = new JsonObject { ["Version"] = "2012-10-17", ["Id"] = "kmsdashboard-least-privilege", ["Statement"] = statements };
        return policy.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Principals(IReadOnlyList<string> arns) =>
        new() { ["AWS"] = arns.Count == 1 ? arns[0] : new JsonArray([.. arns.Select(a => (JsonNode?)a)]) };

    private static JsonObject Statement(string sid, JsonObject principal, IEnumerable<string> actions, JsonObject? condition)
    {
        var statement = new JsonObject
        {
            ["Sid"] = sid, ["Effect"] = "Allow", ["Principal"] = principal,
            ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode?)a)]), ["Resource"] = "*",
        };
        if (condition is not null) statement["Condition"] = condition;
        return statement;
    }
}
