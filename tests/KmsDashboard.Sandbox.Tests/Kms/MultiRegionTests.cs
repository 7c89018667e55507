using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class MultiRegionTests
{
    // Not a constant: the SDK's analyzer rejects literal Region names that break the model's pattern.
    private static readonly string BadRegion = "Mars";

    [Fact]
    public async Task MultiRegionKeysHaveMrkIdsAndSingleRegionKeysUuids()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var multi = await sandbox.CreateKeyAsync("us-east-1", multiRegion: true);
        var single = await sandbox.CreateKeyAsync("us-east-1");

        Assert.Matches("^mrk-[0-9a-f]{32}$", multi.KeyId);
        Assert.True(multi.MultiRegion);
        Assert.Equal(MultiRegionKeyType.PRIMARY, multi.MultiRegionConfiguration.MultiRegionKeyType);
        Assert.True(Guid.TryParse(single.KeyId, out _));
        Assert.False(single.MultiRegion);
        Assert.Null(single.MultiRegionConfiguration);
        Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{multi.KeyId}", multi.Arn);
    }

    [Fact]
    public async Task ReplicaPassesThroughCreatingAndEveryRelatedKeyListsTheSameConfiguration()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var primary = await sandbox.CreateKeyAsync("us-east-1", multiRegion: true);

        var replicated = await sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest
        {
            KeyId = primary.KeyId, ReplicaRegion = "eu-west-1", Description = "EU copy",
            Tags = [new Tag { TagKey = "Site", TagValue = "dublin" }],
        });
        Assert.Equal(KeyState.Creating, replicated.ReplicaKeyMetadata.KeyState);
        Assert.Equal("EU copy", replicated.ReplicaKeyMetadata.Description);
        Assert.Equal("dublin", Assert.Single(replicated.ReplicaTags).TagValue);
        await sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.KeyId, ReplicaRegion = "ap-southeast-1" });

        sandbox.Advance(TimeSpan.FromMinutes(1));

        foreach (var region in new[] { "us-east-1", "eu-west-1", "ap-southeast-1" })
        {
            var meta = await sandbox.DescribeAsync(region, primary.KeyId);
            Assert.Equal(KeyState.Enabled, meta.KeyState);
            Assert.Equal(primary.KeyId, meta.KeyId);
            Assert.Equal(region == "us-east-1" ? MultiRegionKeyType.PRIMARY : MultiRegionKeyType.REPLICA, meta.MultiRegionConfiguration.MultiRegionKeyType);
            Assert.Equal("us-east-1", meta.MultiRegionConfiguration.PrimaryKey.Region);
            Assert.Equal(primary.Arn, meta.MultiRegionConfiguration.PrimaryKey.Arn);
            Assert.Equal(["eu-west-1", "ap-southeast-1"], meta.MultiRegionConfiguration.ReplicaKeys.Select(r => r.Region));
            Assert.Equal(primary.CurrentKeyMaterialId, meta.CurrentKeyMaterialId);
        }
    }

    [Fact]
    public async Task ReplicaCreationCompletesOnItsOwnWithoutMovingTheClock()
    {
        await using var sandbox = await SandboxHarness.StartAsync(configure: o => o.ReplicaCreationDuration = TimeSpan.FromMilliseconds(300));
        var primary = await sandbox.CreateKeyAsync("us-east-1", multiRegion: true);
        await sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.KeyId, ReplicaRegion = "us-west-2" });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        KeyState state;
        do
        {
            await Task.Delay(100);
            state = (await sandbox.DescribeAsync("us-west-2", primary.KeyId)).KeyState;
        } while (state != KeyState.Enabled && DateTime.UtcNow < deadline);
        Assert.Equal(KeyState.Enabled, state);
    }

    [Fact]
    public async Task OnlyAPrimaryReplicatesAndOnlyOncePerRegion()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        var single = await sandbox.CreateKeyAsync("us-east-1");

        await KmsAssert.FailsWithAsync("AlreadyExistsException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = "eu-west-1" }));
        await KmsAssert.FailsWithAsync("AlreadyExistsException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = "us-east-1" }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("eu-west-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = "us-west-2" }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = single.KeyId, ReplicaRegion = "us-west-2" }));
        await KmsAssert.FailsWithAsync("ValidationException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = BadRegion }));
        await sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest() { KeyId = keyId });
        await KmsAssert.FailsWithAsync("DisabledException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = "us-west-2" }));
    }

    [Fact]
    public async Task UpdatePrimaryRegionSwapsRolesThroughUpdating()
    {
        // Updating lasts until the clock moves, however slow the machine running the test.
        await using var sandbox = await SandboxHarness.StartAsync(configure: o => o.PrimaryRegionUpdateDuration = TimeSpan.FromSeconds(30));
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1", "ap-northeast-1");
        var ciphertext = (await sandbox.Kms("us-east-1").EncryptAsync(new EncryptRequest() { KeyId = keyId, Plaintext = new MemoryStream([1, 2, 3]) })).CiphertextBlob;

        await sandbox.Kms("us-east-1").UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest() { KeyId = keyId, PrimaryRegion = "eu-west-1" });

        Assert.Equal(KeyState.Updating, (await sandbox.DescribeAsync("us-east-1", keyId)).KeyState);
        Assert.Equal(KeyState.Updating, (await sandbox.DescribeAsync("eu-west-1", keyId)).KeyState);
        Assert.Equal(KeyState.Enabled, (await sandbox.DescribeAsync("ap-northeast-1", keyId)).KeyState);
        // Cryptography works while Updating; enabling and disabling do not.
        ciphertext.Position = 0;
        var plaintext = await sandbox.Kms("eu-west-1").DecryptAsync(new DecryptRequest() { CiphertextBlob = ciphertext });
        Assert.Equal([1, 2, 3], plaintext.Plaintext.ToArray());
        await KmsAssert.FailsWithAsync("KMSInvalidStateException", () => sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest() { KeyId = keyId }));

        sandbox.Advance(TimeSpan.FromMinutes(1));

        foreach (var region in new[] { "us-east-1", "eu-west-1", "ap-northeast-1" })
        {
            var meta = await sandbox.DescribeAsync(region, keyId);
            Assert.Equal(KeyState.Enabled, meta.KeyState);
            Assert.Equal("eu-west-1", meta.MultiRegionConfiguration.PrimaryKey.Region);
            Assert.Equal(region == "eu-west-1" ? MultiRegionKeyType.PRIMARY : MultiRegionKeyType.REPLICA, meta.MultiRegionConfiguration.MultiRegionKeyType);
            Assert.Equal(["ap-northeast-1", "us-east-1"], meta.MultiRegionConfiguration.ReplicaKeys.Select(r => r.Region).Order());
        }
        // Only the new primary replicates and rotates now.
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest() { KeyId = keyId, ReplicaRegion = "us-west-2" }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("us-east-1").EnableKeyRotationAsync(new EnableKeyRotationRequest() { KeyId = keyId }));
        await sandbox.Kms("eu-west-1").EnableKeyRotationAsync(new EnableKeyRotationRequest() { KeyId = keyId });
    }

    [Fact]
    public async Task UpdatePrimaryRegionNeedsAReplicaThere()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");

        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.Kms("us-east-1").UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest() { KeyId = keyId, PrimaryRegion = "us-west-2" }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("eu-west-1").UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest() { KeyId = keyId, PrimaryRegion = "us-east-1" }));
    }

    [Fact]
    public async Task SharedPropertiesSyncAndIndependentOnesDrift()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");

        await sandbox.Kms("us-east-1").EnableKeyRotationAsync(new EnableKeyRotationRequest() { KeyId = keyId, RotationPeriodInDays = 180 });
        await sandbox.Kms("us-east-1").UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest() { KeyId = keyId, Description = "primary only" });
        await sandbox.Kms("us-east-1").TagResourceAsync(new TagResourceRequest() { KeyId = keyId, Tags = [new() { TagKey = "Env", TagValue = "prod" }] });
        await sandbox.Kms("eu-west-1").DisableKeyAsync(new DisableKeyRequest() { KeyId = keyId });

        var status = await sandbox.Kms("eu-west-1").GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest() { KeyId = keyId });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(180, status.RotationPeriodInDays);
        var replica = await sandbox.DescribeAsync("eu-west-1", keyId);
        var primary = await sandbox.DescribeAsync("us-east-1", keyId);
        Assert.Equal("", replica.Description);
        Assert.Equal("primary only", primary.Description);
        Assert.Equal(KeyState.Disabled, replica.KeyState);
        Assert.Equal(KeyState.Enabled, primary.KeyState);
        Assert.Empty((await sandbox.Kms("eu-west-1").ListResourceTagsAsync(new ListResourceTagsRequest() { KeyId = keyId })).Tags ?? []);
    }
}
