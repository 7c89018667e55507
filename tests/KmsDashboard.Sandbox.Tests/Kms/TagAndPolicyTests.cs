namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class TagAndPolicyTests
{
    [Fact]
    public async Task TagsAreAddedReplacedRemovedAndPaged()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = (await sandbox.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "Team", TagValue = "a" }] })).KeyMetadata;
        var kms = sandbox.Kms("us-east-1");

        await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [.. Enumerable.Range(0, 30).Select(i => new Tag { TagKey = $"k{i}", TagValue = $"{i}" }), new Tag { TagKey = "Team", TagValue = "b" }] });
        await kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["k0"] });

        var first = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 20 });
        Assert.True(first.Truncated);
        var second = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 20, Marker = first.NextMarker });
        Assert.False(second.Truncated);
        var tags = first.Tags.Concat(second.Tags).ToList();
        Assert.Equal(30, tags.Count);
        Assert.Equal("b", tags.Single(t => t.TagKey == "Team").TagValue);
        Assert.DoesNotContain(tags, t => t.TagKey == "k0");
    }

    [Fact]
    public async Task ReservedAndTooManyTagsAreRejected()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");

        await KmsAssert.FailsWithAsync("TagException", () => kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "aws:owner", TagValue = "x" }] }));
        await KmsAssert.FailsWithAsync("LimitExceededException", () => kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [.. Enumerable.Range(0, 51).Select(i => new Tag { TagKey = $"k{i}", TagValue = "v" })] }));
        Assert.Empty((await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags ?? []);
    }

    [Fact]
    public async Task KeyPolicyIsReadWrittenAndValidated()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");

        var initial = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default" });
        Assert.Contains("arn:aws:iam::111122223333:root", initial.Policy);
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}""";
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "default", Policy = policy });
        Assert.Equal(policy, (await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy);
        await KmsAssert.FailsWithAsync("MalformedPolicyDocumentException", () => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = "{not json" }));
        Assert.Equal(["default"], (await kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key.KeyId })).PolicyNames);
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "other" }));
    }

    [Fact]
    public async Task CreateKeyValidatesSpecsAndUsages()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var kms = sandbox.Kms("us-east-1");

        var rsa = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        Assert.Contains("RSASSA_PSS_SHA_256", rsa.SigningAlgorithms);
        var ecc = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P384, KeyUsage = KeyUsageType.SIGN_VERIFY, MultiRegion = true })).KeyMetadata;
        Assert.Equal(["ECDSA_SHA_384"], ecc.SigningAlgorithms);
        Assert.StartsWith("mrk-", ecc.KeyId);
        var hmac = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_512, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;
        Assert.Equal(["HMAC_SHA_512"], hmac.MacAlgorithms);

        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.ENCRYPT_DECRYPT }));
        await KmsAssert.FailsWithAsync("MalformedPolicyDocumentException", () => kms.CreateKeyAsync(new CreateKeyRequest { Policy = "[]" }));
        await KmsAssert.FailsWithAsync("InvalidArnException", () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:us-east-1:bad" }));
        await KmsAssert.FailsWithAsync("NotFoundException", () => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Guid.NewGuid().ToString() }));
    }
}
