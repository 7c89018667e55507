using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class DemoAccountTests
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private static KmsSandboxState State(SandboxHarness sandbox) => sandbox.Server.Services.GetRequiredService<KmsSandboxState>();

    [Fact]
    public async Task DemoAccountHasTheShapeTheDashboardShows()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        var keys = State(sandbox).ListKeys();

        Assert.Equal(Regions.Order(), keys.Select(k => k.Region).Distinct().Order());
        // payments-prod: one primary, three replicas, its alias missing in ap-southeast-1.
        var payments = keys.Where(k => k.KeyId == keys.Single(p => p.Region == "us-east-1" && p.Aliases.Contains("alias/payments-prod")).KeyId).ToList();
        Assert.Equal(4, payments.Count);
        Assert.Single(payments, k => k.MultiRegionKeyType == "PRIMARY");
        Assert.Empty(payments.Single(k => k.Region == "ap-southeast-1").Aliases);
        // alias/app-config names unrelated keys in two Regions.
        var appConfig = keys.Where(k => k.Aliases.Contains("alias/app-config")).ToList();
        Assert.Equal(2, appConfig.Select(k => k.KeyId).Distinct().Count());
        Assert.Contains(keys, k => k.KeyState == "PendingReplicaDeletion" && k.MultiRegionKeyType == "PRIMARY");
        Assert.Contains(keys, k => k.KeyState == "PendingDeletion");
        Assert.Contains(keys, k => k.KeyState == "Disabled" && k.MultiRegionKeyType == "REPLICA");
        Assert.All(Regions, r => Assert.Contains(keys, k => k.Region == r && k.AwsManaged && k.Aliases.Contains("alias/aws/ebs")));
        Assert.InRange(keys.Min(k => k.CreationDate), DateTimeOffset.UtcNow.AddDays(-366), DateTimeOffset.UtcNow.AddDays(-300));

        // Through the wire: AWS managed keys, drifted tags and policies, rotation history.
        var ebs = await sandbox.DescribeAsync("eu-west-1", "alias/aws/ebs");
        Assert.Equal(KeyManagerType.AWS, ebs.KeyManager);
        var paymentsId = payments[0].KeyId;
        var primaryTags = (await sandbox.Kms("us-east-1").ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = paymentsId })).Tags;
        var replicaTags = (await sandbox.Kms("eu-west-1").ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = paymentsId })).Tags;
        Assert.NotEqual(primaryTags.Select(t => $"{t.TagKey}={t.TagValue}"), replicaTags.Select(t => $"{t.TagKey}={t.TagValue}"));
        var primaryPolicy = (await sandbox.Kms("us-east-1").GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = paymentsId })).Policy;
        var replicaPolicy = (await sandbox.Kms("eu-west-1").GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = paymentsId })).Policy;
        Assert.NotEqual(primaryPolicy, replicaPolicy);
        var orders = await sandbox.DescribeAsync("eu-west-1", "alias/orders-db");
        Assert.NotEmpty((await sandbox.Kms("eu-west-1").ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = orders.KeyId })).Rotations);
        Assert.True((await sandbox.Kms("eu-west-1").GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = orders.KeyId })).KeyRotationEnabled);
        var pii = await sandbox.DescribeAsync("us-west-2", "alias/customer-pii");
        Assert.False((await sandbox.Kms("us-west-2").GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = pii.KeyId })).KeyRotationEnabled);
        var awsAliases = (await sandbox.Kms("us-east-1").ListAliasesAsync(new ListAliasesRequest { Limit = 100 })).Aliases;
        Assert.Contains(awsAliases, a => a.AliasName == "alias/aws/s3");
    }

    [Fact]
    public async Task DemoAccountIdsAreTheSameEveryTime()
    {
        await using var first = await SandboxHarness.StartAsync(seedDemo: true);
        await using var second = await SandboxHarness.StartAsync(seedDemo: true);

        Assert.Equal(State(first).ListKeys().Select(k => k.Arn), State(second).ListKeys().Select(k => k.Arn));
    }

    [Fact]
    public async Task SeededPrimaryStaysInPendingReplicaDeletionAndItsReplicaStillDecrypts()
    {
        await using var sandbox = await SandboxHarness.StartAsync(seedDemo: true);
        var legacy = await sandbox.DescribeAsync("us-east-1", "alias/legacy-billing");
        Assert.Equal(KeyState.PendingReplicaDeletion, legacy.KeyState);
        Assert.Null(legacy.DeletionDate);

        sandbox.Advance(TimeSpan.FromDays(45));

        Assert.Equal(KeyState.PendingReplicaDeletion, (await sandbox.DescribeAsync("us-east-1", legacy.KeyId)).KeyState);
        var encrypted = await sandbox.Kms("eu-west-1").EncryptAsync(new EncryptRequest { KeyId = "alias/legacy-billing", Plaintext = new MemoryStream([4]) });
        Assert.Equal([4], (await sandbox.Kms("eu-west-1").DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob })).Plaintext.ToArray());
    }
}
