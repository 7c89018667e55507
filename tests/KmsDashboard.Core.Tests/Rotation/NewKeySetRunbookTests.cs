using System.Text.Json;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Rotation.NewKeySet;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Tests.Runbooks;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task ChosenBucketsGetTheAliasArnOfTheirRegionAsDefaultKeepingBucketKeysAndARestartAtEveryBoundaryRepeatsNothing()
    {
        await using var h = await StartAsync();
        var s3 = h.Server.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "orders-archive");
        s3.SetDefaultEncryption("orders-archive", new BucketEncryption(BucketEncryption.Kms, "alias/legacy-orders", BucketKeyEnabled: true));
        s3.CreateBucket("eu-west-1", "orders-eu");
        s3.SetDefaultEncryption("orders-eu", new BucketEncryption(BucketEncryption.S3Managed, null, BucketKeyEnabled: false));
        s3.CreateBucket("eu-central-1", "orders-frankfurt");

        var (outside, outsideProblems) = await h.Runbooks.StartAsync(Operator, Inputs() with { Buckets = ["orders-frankfurt", "no-such-bucket"] }, default);
        Assert.Null(outside);
        Assert.Contains(outsideProblems, p => p.StartsWith("s3://orders-frankfurt cannot use the new key set: It is in eu-central-1", StringComparison.Ordinal));
        Assert.Contains(outsideProblems, p => p.StartsWith("There is no bucket no-such-bucket", StringComparison.Ordinal));

        var (id, problems) = await h.Runbooks.StartAsync(Operator, Inputs() with { Buckets = ["orders-archive", "orders-eu"] }, default);
        Assert.Empty(problems);
        foreach (var step in new[] { "create-primary", "replicate", "aliases", "rotation" })
        {
            await h.RunStepAsync(id!.Value, step);
            await h.RestartAsync();
        }

        var plan = await h.Runbooks.PlanStepAsync(Operator, id!.Value, null, default);
        Assert.Equal("bucket-encryption", plan.StepName);
        Assert.Equal(["us-east-1", "eu-west-1"], plan.Calls.Select(c => c.Region));
        Assert.All(plan.Calls, c => Assert.Equal("PutBucketEncryption", c.Operation));
        Assert.Contains("KMSMasterKeyID=arn:aws:kms:us-east-1:111122223333:alias/orders-v2, BucketKeyEnabled=True", plan.Calls[0].Parameters, StringComparison.Ordinal);
        Assert.Contains("SSEAlgorithm=aws:kms, KMSMasterKeyID=arn:aws:kms:eu-west-1:111122223333:alias/orders-v2, BucketKeyEnabled=False", plan.Calls[1].Parameters, StringComparison.Ordinal);
        Assert.Contains("SSE-S3", plan.Calls[1].Purpose, StringComparison.Ordinal);
        await h.Runbooks.ReleaseAsync(Operator, id.Value, default);

        // eu-west-1 does not answer: the other bucket is done, this one failed; the step is partial and the retry sends only the rest.
        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        var partial = await h.RunStepAsync(id.Value, "bucket-encryption", expected: RunbookStepState.Partial);
        Assert.Equal(RegionResult.Done, Assert.Single(partial.Regions, r => r.Region == "s3://orders-archive (us-east-1)").State);
        Assert.Equal(RegionResult.Failed, Assert.Single(partial.Regions, r => r.Region == "s3://orders-eu (eu-west-1)").State);
        h.Faults.Clear("eu-west-1");
        await h.RestartAsync();
        var retry = await h.RunStepAsync(id.Value, "bucket-encryption");

        Assert.Equal(2, h.Count("PutBucketEncryption"));
        Assert.Equal(1, h.Count("CreateKey", "us-east-1"));
        Assert.Equal(2, h.Count("ReplicateKey"));
        Assert.Equal(3, h.Count("CreateAlias"));
        Assert.Equal(1, h.Count("EnableKeyRotation"));
        Assert.Contains("Already", Assert.Single(retry.Regions, r => r.Region == "s3://orders-archive (us-east-1)").Message, StringComparison.Ordinal);
        Assert.Equal(new BucketEncryption(BucketEncryption.Kms, "arn:aws:kms:us-east-1:111122223333:alias/orders-v2", true), s3.GetBucket("orders-archive")!.DefaultEncryption);
        Assert.Equal(new BucketEncryption(BucketEncryption.Kms, "arn:aws:kms:eu-west-1:111122223333:alias/orders-v2", false), s3.GetBucket("orders-eu")!.DefaultEncryption);
        Assert.Null(s3.GetBucket("orders-frankfurt")!.DefaultEncryption);

        // A new object in each bucket is sealed under the new key of the bucket's Region; the calls are journaled with their request ids.
        var view = await h.Runbooks.GetAsync(id.Value, default);
        Assert.Equal(RunbookStatus.Finished, view!.Runbook.Status);
        var keyId = JsonSerializer.Deserialize<NewKeySetState>(view.Runbook.State, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!.KeyId!;
        foreach (var (bucket, region) in new[] { ("orders-archive", "us-east-1"), ("orders-eu", "eu-west-1") })
            Assert.Equal((await h.DescribeAsync(region, keyId)).Arn, s3.PutObject(bucket, "after.csv", [1, 2, 3]).KmsKeyArn);
        Assert.Equal(2, view.Calls.Count(c => c.Operation == "PutBucketEncryption" && c.State == "Succeeded" && c.RequestId is { Length: > 0 }));
    }

    [SkippableFact]
    public async Task TheAwsCliSeesTheKeySetInEveryRegionWithItsAliasRotationTagsPolicyAndTheChosenBucketsDefault()
    {
        AwsCliRunner.Require();
        await using var h = await StartAsync();
        var cli = new AwsCliRunner(h.Server.Url);
        h.Server.Services.GetRequiredService<S3SandboxState>().CreateBucket("eu-west-1", "orders-cli");
        var (id, problems) = await h.Runbooks.StartAsync(Operator, Inputs() with { Buckets = ["orders-cli"] }, default);
        Assert.Empty(problems);
        foreach (var step in new[] { "create-primary", "replicate", "aliases", "rotation", "bucket-encryption" }) await h.RunStepAsync(id!.Value, step);

        string? keyId = null;
        foreach (var region in new[] { "us-east-1", "eu-west-1", "us-west-2" })
        {
            var key = (await cli.JsonAsync(region, "kms", "describe-key", "--key-id", "alias/orders-v2")).GetProperty("KeyMetadata");
            keyId ??= key.GetProperty("KeyId").GetString()!;
            Assert.Equal(keyId, key.GetProperty("KeyId").GetString());
            Assert.Equal("Enabled", key.GetProperty("KeyState").GetString());
            Assert.Equal("orders database, v2", key.GetProperty("Description").GetString());
            Assert.Equal(region == "us-east-1" ? "PRIMARY" : "REPLICA", key.GetProperty("MultiRegionConfiguration").GetProperty("MultiRegionKeyType").GetString());
            var rotation = await cli.JsonAsync(region, "kms", "get-key-rotation-status", "--key-id", keyId);
            Assert.True(rotation.GetProperty("KeyRotationEnabled").GetBoolean());
            Assert.Equal(180, rotation.GetProperty("RotationPeriodInDays").GetInt32());
            var tags = (await cli.JsonAsync(region, "kms", "list-resource-tags", "--key-id", keyId)).GetProperty("Tags")
                .EnumerateArray().ToDictionary(t => t.GetProperty("TagKey").GetString()!, t => t.GetProperty("TagValue").GetString());
            Assert.Equal(("4711", "orders-team"), (tags["CostCenter"], tags["Owner"]));
            var policy = JsonDocument.Parse((await cli.JsonAsync(region, "kms", "get-key-policy", "--key-id", keyId, "--policy-name", "default")).GetProperty("Policy").GetString()!);
            var sids = policy.RootElement.GetProperty("Statement").EnumerateArray().Select(st => st.GetProperty("Sid").GetString()).ToList();
            Assert.Equal(["EnableIamPolicies", "KeyAdministrators", "KeyUsers"], sids);
        }
        var encryption = (await cli.JsonAsync("eu-west-1", "s3api", "get-bucket-encryption", "--bucket", "orders-cli"))
            .GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0];
        Assert.Equal("aws:kms", encryption.GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
        Assert.Equal("arn:aws:kms:eu-west-1:111122223333:alias/orders-v2", encryption.GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("KMSMasterKeyID").GetString());

        // No drift on the key map: the inventory reads the set back with every Region alike.
        await h.Inventory.RefreshAsync(default);
        var set = h.Inventory.Current.FindKeySet(keyId!);
        Assert.NotNull(set);
        Assert.Equal(["eu-west-1", "us-east-1", "us-west-2"], set.Members.Keys.Order(StringComparer.Ordinal));
        Assert.False(set.Drift.HasDrift, string.Join("; ", set.Drift.Items.Select(i => $"{i.Region} {i.Property}: {i.Detail}")));
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
