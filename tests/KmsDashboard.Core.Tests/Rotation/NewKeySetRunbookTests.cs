using System.Text.Json;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Rotation.NewKeySet;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Tests.Runbooks;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Rotation;

/// <summary>"New key set" as a runbook against the sandbox: every step, the key set without drift, refusals, a restart between steps.</summary>
public sealed class NewKeySetRunbookTests
{
    private static NewKeySetInputs Inputs(string alias = "alias/orders-v2", Dictionary<string, string>? tags = null) => new()
    {
        PrimaryRegion = "us-east-1",
        ReplicaRegions = ["eu-west-1", "us-west-2"],
        AliasName = alias,
        Description = "orders database, v2",
        Tags = tags ?? new() { ["CostCenter"] = "4711", ["Owner"] = "orders-team" },
        Policy = new KeyPolicyChoices
        {
            AccountId = "111122223333",
            Administrators = ["arn:aws:iam::111122223333:role/KeyAdmin"],
            Users = ["arn:aws:iam::111122223333:role/OrderService"],
            ViaServices = ["s3"],
            EncryptionContext = new Dictionary<string, string> { ["app"] = "orders" },
        },
        RotationPeriodDays = 180,
    };

    [Fact]
    public async Task EachStepRunsAndTheResultIsAKeySetInEveryRegionWithTheAliasRotationTagsAndPolicyAndNoDrift()
    {
        await using var h = await StartAsync();
        var (id, problems) = await h.Runbooks.StartAsync(Operator, Inputs(), default);
        Assert.Empty(problems);

        await h.RunStepAsync(id!.Value, "create-primary");
        await h.RestartAsync(); // a crash between steps loses nothing
        await h.RunStepAsync(id.Value, "replicate");
        await h.RunStepAsync(id.Value, "aliases");
        await h.RunStepAsync(id.Value, "rotation");

        Assert.Equal(1, h.Count("CreateKey", "us-east-1"));
        var view = await h.Runbooks.GetAsync(id.Value, default);
        var state = JsonSerializer.Deserialize<NewKeySetState>(view!.Runbook.State, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        var keyId = state.KeyId!;
        var primaryTags = await TagsAsync(h, "us-east-1", keyId);
        var primaryPolicy = await PolicyAsync(h, "us-east-1", keyId);
        Assert.Equal("4711", primaryTags["CostCenter"]);
        Assert.Contains("s3.eu-west-1.amazonaws.com", primaryPolicy, StringComparison.Ordinal);
        Assert.Contains("kms:EncryptionContext:app", primaryPolicy, StringComparison.Ordinal);
        foreach (var region in new[] { "us-east-1", "eu-west-1", "us-west-2" })
        {
            var meta = await h.DescribeAsync(region, keyId);
            Assert.Equal(("Enabled", "orders database, v2"), (meta.KeyState.Value, meta.Description));
            Assert.Equal(region == "us-east-1" ? "PRIMARY" : "REPLICA", meta.MultiRegionConfiguration.MultiRegionKeyType.Value);
            Assert.Equal(keyId, (await h.Kms(region).DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = "alias/orders-v2" })).KeyMetadata.KeyId);
            Assert.Equal(primaryTags, await TagsAsync(h, region, keyId));
            Assert.Equal(primaryPolicy, await PolicyAsync(h, region, keyId));
            var rotation = await h.Kms(region).GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId });
            Assert.Equal((true, 180), (rotation.KeyRotationEnabled ?? false, rotation.RotationPeriodInDays ?? 0));
        }
    }

    [SkippableFact]
    public async Task TheAwsCliSeesTheKeySetInEveryRegionWithItsAliasRotationAndTags()
    {
        var aws = KmsDashboard.Sandbox.Tests.ExternalTool.Require("aws");
        await using var h = await StartAsync();
        var (id, _) = await h.Runbooks.StartAsync(Operator, Inputs(), default);
        foreach (var step in new[] { "create-primary", "replicate", "aliases", "rotation" }) await h.RunStepAsync(id!.Value, step);

        foreach (var region in new[] { "us-east-1", "eu-west-1", "us-west-2" })
        {
            var key = JsonDocument.Parse(await CliAsync(aws, h, region, "kms", "describe-key", "--key-id", "alias/orders-v2")).RootElement.GetProperty("KeyMetadata");
            var keyId = key.GetProperty("KeyId").GetString()!;
            Assert.Equal(region == "us-east-1" ? "PRIMARY" : "REPLICA", key.GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());
            var rotation = JsonDocument.Parse(await CliAsync(aws, h, region, "kms", "get-key-rotation-status", "--key-id", keyId)).RootElement;
            Assert.True(rotation.GetProperty("KeyRotationEnabled").GetBoolean());
            Assert.Equal(180, rotation.GetProperty("RotationPeriodInDays").GetInt32());
            var tags = JsonDocument.Parse(await CliAsync(aws, h, region, "kms", "list-resource-tags", "--key-id", keyId)).RootElement.GetProperty("Tags")
                .EnumerateArray().ToDictionary(t => t.GetProperty("TagKey").GetString()!, t => t.GetProperty("TagValue").GetString());
            Assert.Equal("4711", tags["CostCenter"]);
            var policy = JsonDocument.Parse(await CliAsync(aws, h, region, "kms", "get-key-policy", "--key-id", keyId, "--policy-name", "default")).RootElement.GetProperty("Policy").GetString();
            Assert.Contains("KeyAdministrators", policy, StringComparison.Ordinal);
        }
    }

    private static async Task<string> CliAsync(string aws, RunbookHarness h, string region, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(aws) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--endpoint-url", h.Server.Url.ToString(), "--region", region, "--output", "json" }.Concat(args)) start.ArgumentList.Add(a);
        start.Environment["AWS_ACCESS_KEY_ID"] = "sandbox";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox";
        start.Environment.Remove("AWS_PROFILE");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"aws {string.Join(' ', args)} in {region}: {error}");
        return output;
    }

    [Fact]
    public async Task BadInputsATakenAliasAndAMissingRequiredTagAreRefusedBeforeAnythingIsStored()
    {
        await using var h = await StartAsync();
        await h.CreateKeySetAsync("alias/taken", ["eu-west-1"]);
        var bad = Inputs() with
        {
            ReplicaRegions = ["us-east-1", "moon-1"],
            Policy = Inputs().Policy with { AccountId = "12", Administrators = ["bob"] },
            RotationPeriodDays = 30,
        };

        var (badId, badProblems) = await h.Runbooks.StartAsync(Operator, bad, default);
        var (takenId, takenProblems) = await h.Runbooks.StartAsync(Operator, Inputs("alias/taken"), default);
        var (untaggedId, untaggedProblems) = await h.Runbooks.StartAsync(Operator, Inputs(tags: new() { ["Owner"] = "orders-team" }), default);

        Assert.Null(badId);
        Assert.Contains(badProblems, p => p.Contains("us-east-1 holds the primary", StringComparison.Ordinal));
        Assert.Contains(badProblems, p => p.Contains("'moon-1' is not an AWS Region name", StringComparison.Ordinal));
        Assert.Contains(badProblems, p => p.Contains("'12' is not an AWS account id", StringComparison.Ordinal));
        Assert.Contains(badProblems, p => p.Contains("'bob' is not an IAM role or user ARN", StringComparison.Ordinal));
        Assert.Contains(badProblems, p => p.Contains("must be 90 to 2560 days", StringComparison.Ordinal));
        Assert.Null(takenId);
        Assert.Contains(takenProblems, p => p.Contains("alias/taken already exists in us-east-1", StringComparison.Ordinal));
        Assert.Null(untaggedId);
        Assert.Contains("The tag CostCenter is required", Assert.Single(untaggedProblems), StringComparison.Ordinal);
        Assert.Empty(await h.Runbooks.ListAsync(default));
    }

    [Fact]
    public void ThePolicyTemplateSeparatesAdministratorsFromUsersAndAddsTheConditionsOnlyToUse()
    {
        var policy = JsonDocument.Parse(KeyPolicyTemplate.Build(Inputs().Policy, ["us-east-1", "eu-west-1"])).RootElement;
        var statements = policy.GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);

        Assert.Equal("arn:aws:iam::111122223333:root", statements["EnableIamPolicies"].GetProperty("Principal").GetProperty("AWS").GetString());
        var adminActions = statements["KeyAdministrators"].GetProperty("Action").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.DoesNotContain("kms:Decrypt", adminActions);
        Assert.False(statements["KeyAdministrators"].TryGetProperty("Condition", out _));
        var users = statements["KeyUsers"];
        Assert.Contains("kms:Decrypt", users.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        var equals = users.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal(["s3.us-east-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"], equals.GetProperty("kms:ViaService").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("orders", equals.GetProperty("kms:EncryptionContext:app").GetString());
    }

    private static async Task<Dictionary<string, string>> TagsAsync(RunbookHarness h, string region, string keyId) =>
        (await h.Kms(region).ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = keyId })).Tags.ToDictionary(t => t.TagKey, t => t.TagValue);

    private static async Task<string> PolicyAsync(RunbookHarness h, string region, string keyId) =>
        (await h.Kms(region).GetKeyPolicyAsync(new Sdk.GetKeyPolicyRequest { KeyId = keyId, PolicyName = "default" })).Policy;
}
