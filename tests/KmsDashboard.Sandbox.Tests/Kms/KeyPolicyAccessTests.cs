using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Sandbox.CloudTrail;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>Key policies decide who may use a key: delegation to the account (IAM), named principals, explicit denies.</summary>
public sealed class KeyPolicyAccessTests
{
    private const string Account = "111122223333";

    /// <summary>A policy for alice only, plus whatever <paramref name="extra"/> statements say.</summary>
    public static string AliceOnly(params string[] extra) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/alice"},"Action":"kms:*","Resource":"*"}{{string.Concat(extra.Select(e => "," + e))}}]}""";

    private static AmazonKeyManagementServiceClient Client(SandboxHarness sandbox, string accessKey) =>
        new(new BasicAWSCredentials(accessKey, "secret"), new AmazonKeyManagementServiceConfig { ServiceURL = sandbox.Server.Url.ToString(), AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task APolicyThatDoesNotDelegateToTheAccountDeniesEveryoneItDoesNotName()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var alice = Client(sandbox, DemoAccessKeys.Alice);
        using var dashboard = Client(sandbox, DemoAccessKeys.Dashboard);
        var key = (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly(), Description = "alice's" })).KeyMetadata;

        Assert.Equal("alice's", (await alice.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Description);
        Assert.Contains("user/alice", (await alice.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);

        var denied = await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId }));
        Assert.Equal($"User: arn:aws:iam::{Account}:user/kms-dashboard is not authorized to perform: kms:GetKeyPolicy on resource: {key.Arn} "
                     + "because no resource-based policy allows the kms:GetKeyPolicy action", denied.Message);
        await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));
        await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        // ListKeys is an IAM permission of the account, not the key's: the key is still listed.
        Assert.Contains((await dashboard.ListKeysAsync(new ListKeysRequest())).Keys, k => k.KeyId == key.KeyId);
    }

    [Fact]
    public async Task DelegatingOnlySomeActionsToTheAccountAllowsThoseAndDeniesTheRest()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var alice = Client(sandbox, DemoAccessKeys.Alice);
        using var dashboard = Client(sandbox, DemoAccessKeys.Dashboard);
        var readMetadata = $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":["kms:Describe*","kms:List*"],"Resource":"*"}""";
        var key = (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly(readMetadata) })).KeyMetadata;

        Assert.Equal(key.Arn, (await dashboard.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Arn);
        await dashboard.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId }));
        await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId }));
    }

    [Fact]
    public async Task AnExplicitDenyForOnePrincipalWinsOverTheAccountsDelegation()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var alice = Client(sandbox, DemoAccessKeys.Alice);
        using var dashboard = Client(sandbox, DemoAccessKeys.Dashboard);
        var root = $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"kms:*","Resource":"*"}""";
        var deny = $$"""{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/kms-dashboard"},"Action":"kms:GetKeyPolicy","Resource":"*"}""";
        var key = (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly(root, deny) })).KeyMetadata;

        var denied = await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId }));
        Assert.EndsWith("with an explicit deny in a resource-based policy", denied.Message);
        await dashboard.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId });
        await alice.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId });
    }

    [Fact]
    public async Task TheDefaultPolicyDelegatesEverythingToTheAccount()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var dashboard = Client(sandbox, DemoAccessKeys.Dashboard);
        var key = await sandbox.CreateKeyAsync("us-east-1");

        await dashboard.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId });
        await dashboard.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
    }

    [Fact]
    public async Task ANewPolicyThatWouldLockTheCallerOutIsRefusedUnlessTheSafetyCheckIsBypassed()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var dashboard = Client(sandbox, DemoAccessKeys.Dashboard);
        var key = (await dashboard.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;

        var refused = await KmsAssert.FailsWithAsync("MalformedPolicyDocumentException",
            () => dashboard.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = AliceOnly() }));
        Assert.Equal("The new key policy will not allow you to update the key policy in the future.", refused.Message);
        await KmsAssert.FailsWithAsync("MalformedPolicyDocumentException", () => dashboard.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly() }));

        await dashboard.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = AliceOnly(), BypassPolicyLockoutSafetyCheck = true });
        await KmsAssert.FailsWithAsync("AccessDeniedException", () => dashboard.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId }));
    }
}
