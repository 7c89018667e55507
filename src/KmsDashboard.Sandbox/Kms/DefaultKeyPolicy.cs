using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>The key policies KMS writes when none is given: the default one, and the AWS managed keys' one.</summary>
internal static class DefaultKeyPolicy
{
    public static string For(string account) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Id"] = "key-default-1",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Sid"] = "Enable IAM User Permissions",
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:root" },
            ["Action"] = "kms:*",
            ["Resource"] = "*",
        }),
    }.ToJsonString();

    public static string AwsManaged(string account, string service, string region) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Id"] = $"auto-{service}-2",
        ["Statement"] = new JsonArray(
            new JsonObject
            {
                ["Sid"] = $"Allow access through {service} for all principals in the account that are authorized to use {service}",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = "*" },
                ["Action"] = new JsonArray("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"),
                ["Resource"] = "*",
                ["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject { ["kms:CallerAccount"] = account, ["kms:ViaService"] = $"{service}.{region}.amazonaws.com" },
                },
            },
            new JsonObject
            {
                ["Sid"] = "Allow direct access to key metadata to the account",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{account}:root" },
                ["Action"] = new JsonArray("kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"),
                ["Resource"] = "*",
            }),
    }.ToJsonString();
}
