
namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant and grant tokens, through the AWS SDK and the aws CLI.</summary>
public sealed class GrantTests : IClassFixture<GrantTests.Sandbox>
{
    private const string Account = "111122223333";
    private const string AppRole = $"arn:aws:iam::{Account}:role/app";
    private const string DeployerRole = $"arn:aws:iam::{Account}:role/deployer";
    private readonly Sandbox _fixture;

    public GrantTests(Sandbox fixture) => _fixture = fixture;

    private SandboxHarness Harness => _fixture.Harness;

    public sealed class Sandbox : IAsyncLifetime
    {
        public SandboxHarness Harness { get; private set; } = default!;
        public async Task InitializeAsync() => Harness = await SandboxHarness.StartAsync();
        public async Task DisposeAsync() => await Harness.DisposeAsync();
    }

    [Fact]
    public async Task AGrantIsCreatedListedWithItsConstraintsAndRevoked()
    {
        var kms = Harness.Kms("us-east-1");
        var key = await Harness.CreateKeyAsync("us-east-1");

        var created = await kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.Arn,
            GranteePrincipal = AppRole,
            RetiringPrincipal = DeployerRole,
            Operations = [GrantOperation.Decrypt, GrantOperation.GenerateDataKey, GrantOperation.DescribeKey],
            Constraints = new GrantConstraints { EncryptionContextSubset = new() { ["app"] = "orders" } },
            Name = "orders-app",
        });
        Assert.Matches("^[0-9a-f]{64}$", created.GrantId);
        Assert.False(string.IsNullOrEmpty(created.GrantToken));

        var grant = Assert.Single((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
        Assert.Equal(created.GrantId, grant.GrantId);
        Assert.Equal(key.Arn, grant.KeyId);
        Assert.Equal("orders-app", grant.Name);
        Assert.Equal(AppRole, grant.GranteePrincipal);
        Assert.Equal(DeployerRole, grant.RetiringPrincipal);
        Assert.Equal($"arn:aws:iam::{Account}:root", grant.IssuingAccount);
        Assert.Equal(["Decrypt", "GenerateDataKey", "DescribeKey"], grant.Operations);
        Assert.Equal("orders", grant.Constraints.EncryptionContextSubset["app"]);
        Assert.True(grant.CreationDate > DateTime.UtcNow.AddMinutes(-5));

        await kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = created.GrantId });
        Assert.Empty((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants ?? []);
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = created.GrantId }));
    }

    [Fact]
    public async Task ANamedGrantRetriedWithTheSameParametersKeepsItsIdAndGetsANewToken()
    {
        var kms = Harness.Kms("us-east-1");
        var key = await Harness.CreateKeyAsync("us-east-1");
        CreateGrantRequest Request() => new() { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Encrypt], Name = "retry-me" };

        var first = await kms.CreateGrantAsync(Request());
        var second = await kms.CreateGrantAsync(Request());
        var unnamedRequest = Request();
        unnamedRequest.Name = null;
        var unnamed = await kms.CreateGrantAsync(unnamedRequest);

        Assert.Equal(first.GrantId, second.GrantId);
        Assert.NotEqual(first.GrantToken, second.GrantToken);
        Assert.NotEqual(first.GrantId, unnamed.GrantId);
        Assert.Equal(2, (await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants.Count);
    }

    [Fact]
    public async Task BadGrantRequestsAreRefusedAndChangeNothing()
    {
        var kms = Harness.Kms("us-east-1");
        var key = await Harness.CreateKeyAsync("us-east-1");
        var signing = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;

        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.CreateGrant] }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Sign] }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [new GrantOperation("Teleport")] }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "not-a-principal", Operations = [GrantOperation.Decrypt] }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt], Name = string.Concat("bad", " name!") }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt],
            Constraints = new GrantConstraints { EncryptionContextEquals = Enumerable.Range(0, 9).ToDictionary(i => $"k{i}", i => "v") },
        }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = signing.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Sign],
            Constraints = new GrantConstraints { EncryptionContextSubset = new() { ["a"] = "b" } },
        }));
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = Guid.NewGuid().ToString(), GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt] }));
        await KmsAssert.FailsWithAsync("DryRunOperationException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt], DryRun = true }));
        await KmsAssert.FailsWithAsync("InvalidGrantIdException", () => kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = "nope" }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.RetireGrantAsync(new RetireGrantRequest { KeyId = key.KeyId }));
        await KmsAssert.FailsWithAsync("InvalidGrantTokenException", () => kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = "forged-token" }));

        Assert.Empty((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants ?? []);
        var signingGrant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = signing.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Sign, GrantOperation.Verify, GrantOperation.GetPublicKey] });
        Assert.Equal(signingGrant.GrantId, Assert.Single((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = signing.KeyId })).Grants).GrantId);
    }

    [Fact]
    public async Task GrantsAreRetiredByTokenOrByKeyAndIdAndListedForTheirRetiringPrincipal()
    {
        var kms = Harness.Kms("eu-central-1");
        var first = await Harness.CreateKeyAsync("eu-central-1");
        var second = await Harness.CreateKeyAsync("eu-central-1");
        var retiring = $"arn:aws:iam::{Account}:role/retirer-{Guid.NewGuid():N}";
        var a = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = first.KeyId, GranteePrincipal = AppRole, RetiringPrincipal = retiring, Operations = [GrantOperation.Decrypt] });
        var b = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = second.KeyId, GranteePrincipal = AppRole, RetiringPrincipal = retiring, Operations = [GrantOperation.Encrypt] });
        await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = second.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Encrypt] });

        var retirable = await kms.ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = retiring });
        Assert.Equal([a.GrantId, b.GrantId], retirable.Grants.Select(g => g.GrantId));
        Assert.Equal([first.Arn, second.Arn], retirable.Grants.Select(g => g.KeyId));

        await kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = a.GrantToken });
        await kms.RetireGrantAsync(new RetireGrantRequest { KeyId = second.Arn, GrantId = b.GrantId });
        Assert.Empty((await kms.ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = retiring })).Grants ?? []);
        Assert.Single((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = second.KeyId })).Grants);
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = a.GrantToken }));
    }

    [Fact]
    public async Task ListGrantsPagesAndFilters()
    {
        var kms = Harness.Kms("us-west-2");
        var key = await Harness.CreateKeyAsync("us-west-2");
        const string other = $"arn:aws:iam::{Account}:role/other";
        for (var i = 0; i < 7; i++)
            await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = i % 2 == 0 ? AppRole : other, Operations = [GrantOperation.Decrypt] });

        var first = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId, Limit = 3 });
        Assert.True(first.Truncated);
        var ids = first.Grants.Select(g => g.GrantId).ToList();
        string? marker = first.NextMarker;
        while (marker is not null)
        {
            var page = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId, Limit = 3, Marker = marker });
            ids.AddRange(page.Grants.Select(g => g.GrantId));
            marker = page.NextMarker;
        }
        Assert.Equal(7, ids.Distinct().Count());
        Assert.Equal(4, (await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId, GranteePrincipal = AppRole })).Grants.Count);
        Assert.Equal(ids[4], Assert.Single((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId, GrantId = ids[4] })).Grants).GrantId);
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId, Limit = 101 }));
    }

    [Fact]
    public async Task GrantsAreIndependentBetweenRelatedMultiRegionKeys()
    {
        var keyId = await Harness.CreateMultiRegionKeyAsync("us-east-1", "ap-southeast-1");
        var created = await Harness.Kms("us-east-1").CreateGrantAsync(new CreateGrantRequest { KeyId = keyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt] });

        Assert.Single((await Harness.Kms("us-east-1").ListGrantsAsync(new ListGrantsRequest { KeyId = keyId })).Grants);
        Assert.Empty((await Harness.Kms("ap-southeast-1").ListGrantsAsync(new ListGrantsRequest { KeyId = keyId })).Grants ?? []);
        await KmsAssert.FailsWithAsync("NotFoundException", () => Harness.Kms("ap-southeast-1").RevokeGrantAsync(new RevokeGrantRequest { KeyId = keyId, GrantId = created.GrantId }));
        // A token names its Region's grant: the replica's Region refuses it.
        await KmsAssert.FailsWithAsync("InvalidGrantTokenException", () => Harness.Kms("ap-southeast-1").RetireGrantAsync(new RetireGrantRequest { GrantToken = created.GrantToken }));
    }

    [Fact]
    public async Task CryptographicOperationsAcceptIssuedGrantTokensAndRefuseForgedOnes()
    {
        var kms = Harness.Kms("us-east-1");
        var key = await Harness.CreateKeyAsync("us-east-1");
        var grant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt] });

        var encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream("granted"u8.ToArray()), GrantTokens = [grant.GrantToken] });
        var decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, GrantTokens = [grant.GrantToken] });
        Assert.Equal("granted"u8.ToArray(), decrypted.Plaintext.ToArray());
        Assert.Equal(key.KeyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId, GrantTokens = [grant.GrantToken] })).KeyMetadata.KeyId);

        await KmsAssert.FailsWithAsync("InvalidGrantTokenException", () => kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, GrantTokens = ["forged"] }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.EncryptAsync(new EncryptRequest
        {
            KeyId = key.KeyId, Plaintext = new MemoryStream([1]), GrantTokens = [.. Enumerable.Repeat(grant.GrantToken, 11)],
        }));
    }

    [Fact]
    public async Task GrantsFollowTheKeyState()
    {
        var kms = Harness.Kms("eu-west-1");
        var key = await Harness.CreateKeyAsync("eu-west-1");
        var grant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt] });
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Encrypt] });
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });

        await KmsAssert.FailsWithAsync("KMSInvalidStateException", () => kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt] }));
        Assert.Equal(2, (await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants.Count);
        await kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId });
        Assert.Single((await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
    }

    [Fact]
    public async Task GrantCallsAreInTheCallLogWithoutTheirTokens()
    {
        var kms = Harness.Kms("ap-northeast-1");
        var key = await Harness.CreateKeyAsync("ap-northeast-1");
        var calls = new List<KmsDashboard.Sandbox.Hosting.SandboxCall>();
        using var subscription = Harness.CallLog.Subscribe(call =>
        {
            lock (calls) if (call.Region == "ap-northeast-1" && call.Operation is "CreateGrant" or "RetireGrant") calls.Add(call);
        });
        var grant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = AppRole, Operations = [GrantOperation.Decrypt] });
        await kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken });

        Assert.Equal(["CreateGrant", "RetireGrant"], calls.Select(c => c.Operation));
        Assert.All(calls, c => Assert.Contains(key.Arn, c.Resources));
        Assert.All(calls, c => Assert.DoesNotContain(grant.GrantToken, (c.RequestParameters?.ToJsonString() ?? "") + (c.ResponseElements?.ToJsonString() ?? "")));
    }

    [Fact]
    public async Task TheDemoAccountHasGrantsForServiceRolesOnThePaymentsPrimaryOnly()
    {
        await using var demo = await SandboxHarness.StartAsync(seedDemo: true);

        var grants = (await demo.Kms("us-east-1").ListGrantsAsync(new ListGrantsRequest { KeyId = (await demo.DescribeAsync("us-east-1", "alias/payments-prod")).KeyId })).Grants;
        Assert.Contains(grants, g => g.GranteePrincipal.EndsWith("role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", StringComparison.Ordinal));
        Assert.Contains(grants, g => g.Constraints?.EncryptionContextSubset?["app"] == "payments-batch");
        var replica = await demo.DescribeAsync("us-west-2", "alias/payments-prod");
        Assert.Empty((await demo.Kms("us-west-2").ListGrantsAsync(new ListGrantsRequest { KeyId = replica.KeyId })).Grants ?? []);
        var orders = await demo.DescribeAsync("eu-west-1", "alias/orders-db");
        Assert.Equal("rds.eu-west-1.amazonaws.com", Assert.Single((await demo.Kms("eu-west-1").ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = "rds.eu-west-1.amazonaws.com" })).Grants).GranteePrincipal);
        Assert.Equal(orders.Arn, (await demo.Kms("eu-west-1").ListGrantsAsync(new ListGrantsRequest { KeyId = orders.KeyId })).Grants.Single().KeyId);
    }

    [SkippableFact]
    public async Task TheAwsCliCreatesListsAndRetiresAGrant()
    {
        AwsCli.Require();
        var key = await Harness.CreateKeyAsync("sa-east-1");
        var cli = new AwsCli(Harness.Server.Url);

        var created = await cli.RunAsync("sa-east-1", "kms", "create-grant", "--key-id", key.KeyId, "--grantee-principal", AppRole,
            "--retiring-principal", DeployerRole, "--operations", "Decrypt", "GenerateDataKey", "--constraints", "EncryptionContextEquals={tenant=acme}", "--name", "cli-grant");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var grantId = created.Json.GetProperty("GrantId").GetString();

        var listed = await cli.RunAsync("sa-east-1", "kms", "list-grants", "--key-id", key.Arn);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var grant = Assert.Single(listed.Json.GetProperty("Grants").EnumerateArray());
        Assert.Equal(grantId, grant.GetProperty("GrantId").GetString());
        Assert.Equal("acme", grant.GetProperty("Constraints").GetProperty("EncryptionContextEquals").GetProperty("tenant").GetString());

        var retired = await cli.RunAsync("sa-east-1", "kms", "retire-grant", "--grant-token", created.Json.GetProperty("GrantToken").GetString()!);
        Assert.True(retired.ExitCode == 0, retired.Stderr);
        var refused = await cli.RunAsync("sa-east-1", "kms", "revoke-grant", "--key-id", key.KeyId, "--grant-id", grantId!);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("NotFoundException", refused.Stderr);
    }
}
