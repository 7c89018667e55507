namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class RotationTests
{
    // Not constants: the SDK's analyzer rejects out-of-range literals, and these are meant to reach the server.
    private static readonly int TooShort = 89, TooLong = 2561;

    private static async Task<MemoryStream> EncryptAsync(SandboxHarness sandbox, string region, string keyId, byte[] plaintext) =>
        (await sandbox.Kms(region).EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(plaintext) })).CiphertextBlob;

    [Fact]
    public async Task RotationPeriodIs90To2560DaysDefault365()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");

        await KmsAssert.FailsWithAsync("ValidationException", () => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = TooShort }));
        await KmsAssert.FailsWithAsync("ValidationException", () => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = TooLong }));
        Assert.False((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);

        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });

        var status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(365, status.RotationPeriodInDays);
        Assert.InRange(status.NextRotationDate!.Value - DateTime.UtcNow, TimeSpan.FromDays(364.9), TimeSpan.FromDays(365.1));
        await kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key.KeyId });
        Assert.False((await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);
    }

    [Fact]
    public async Task ScheduledRotationHappensWhenDueAndOldCiphertextStillDecrypts()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        var kms = sandbox.Kms("us-east-1");
        var before = await EncryptAsync(sandbox, "us-east-1", keyId, [1, 2]);
        var firstMaterial = (await sandbox.DescribeAsync("us-east-1", keyId)).CurrentKeyMaterialId;
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });

        sandbox.Advance(TimeSpan.FromDays(181));

        var rotations = (await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId })).Rotations;
        Assert.Equal(2, rotations.Count);
        Assert.All(rotations, r => Assert.Equal(RotationType.AUTOMATIC, r.RotationType));
        var replica = await sandbox.DescribeAsync("eu-west-1", keyId);
        Assert.Equal(rotations[^1].KeyMaterialId, replica.CurrentKeyMaterialId);
        Assert.NotEqual(firstMaterial, replica.CurrentKeyMaterialId);
        var decrypted = await sandbox.Kms("eu-west-1").DecryptAsync(new DecryptRequest { CiphertextBlob = before });
        Assert.Equal([1, 2], decrypted.Plaintext.ToArray());
        Assert.Equal(firstMaterial, decrypted.KeyMaterialId);
        var status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId });
        Assert.True(status.NextRotationDate > DateTime.UtcNow.AddDays(180));
    }

    [Fact]
    public async Task OnDemandRotationKeepsEveryOldCiphertextReadableAndStopsAt25()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-west-2");
        var kms = sandbox.Kms("us-west-2");
        var blobs = new List<(byte Value, MemoryStream Blob)>();

        for (byte i = 0; i < 25; i++)
        {
            blobs.Add((i, await EncryptAsync(sandbox, "us-west-2", key.KeyId, [i])));
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
        }

        await KmsAssert.FailsWithAsync("LimitExceededException", () => kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
        foreach (var (value, blob) in blobs)
            Assert.Equal([value], (await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext.ToArray());
        var page1 = await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId, Limit = 20 });
        Assert.True(page1.Truncated);
        var page2 = await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId, Limit = 20, Marker = page1.NextMarker });
        Assert.False(page2.Truncated);
        Assert.Null(page2.NextMarker);
        Assert.Equal(25, page1.Rotations.Concat(page2.Rotations).Select(r => r.KeyMaterialId).Distinct().Count());
        Assert.All(page1.Rotations, r => Assert.Equal(RotationType.ON_DEMAND, r.RotationType));
    }

    [Fact]
    public async Task ChangingThePeriodCountsFromTheLastRotation()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 365 });
        sandbox.Advance(TimeSpan.FromDays(100));

        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 180 });

        var status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.Equal(180, status.RotationPeriodInDays);
        Assert.InRange(status.NextRotationDate!.Value - key.CreationDate!.Value, TimeSpan.FromDays(179.9), TimeSpan.FromDays(180.1));
    }

    [Fact]
    public async Task OnDemandRotationConflictsWithAnAutomaticRotationDueWithin20Minutes()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        var kms = sandbox.Kms("us-east-1");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });

        sandbox.Advance(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(10));

        await KmsAssert.FailsWithAsync("ConflictException", () => kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
    }

    [Fact]
    public async Task RotationIsForSymmetricKeysAndOnlyOnThePrimary()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        var hmac = (await sandbox.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_384, KeyUsage = KeyUsageType.GENERATE_VERIFY_MAC })).KeyMetadata;

        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("eu-west-1").EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("eu-west-1").RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId }));
        await KmsAssert.FailsWithAsync("UnsupportedOperationException", () => sandbox.Kms("us-east-1").EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = hmac.KeyId }));
        await sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });
        await KmsAssert.FailsWithAsync("DisabledException", () => sandbox.Kms("us-east-1").EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId }));
    }
}
