namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class UsageTests
{
    [Fact]
    public async Task LastUsageIsTrackedPerRegion()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        var unused = await sandbox.Kms("us-east-1").GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyId });
        Assert.Null(unused.KeyLastUsage);
        Assert.NotNull(unused.TrackingStartDate);

        var encrypted = await sandbox.Kms("us-east-1").EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([1]) });
        await sandbox.Kms("eu-west-1").DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });

        var east = await sandbox.Kms("us-east-1").GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyId });
        var eu = await sandbox.Kms("eu-west-1").GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = keyId });
        Assert.Equal("Encrypt", east.KeyLastUsage.Operation.Value);
        Assert.Equal("Decrypt", eu.KeyLastUsage.Operation.Value);
        Assert.False(string.IsNullOrEmpty(eu.KeyLastUsage.KmsRequestId));
        Assert.False(string.IsNullOrEmpty(eu.KeyLastUsage.CloudTrailEventId));
        Assert.NotNull(eu.KeyCreationDate);
    }
}
