using Amazon.KeyManagementService;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class DeletionTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task PendingWindowOutside7To30DaysIsRejected(int days)
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");

        await KmsAssert.FailsWithAsync("ValidationException",
            () => sandbox.Kms("us-east-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest() { KeyId = key.KeyId, PendingWindowInDays = days }));
    }

    [Fact]
    public async Task DefaultWindowIs30DaysAndCancelLeavesTheKeyDisabled()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");

        var scheduled = await sandbox.Kms("us-east-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest() { KeyId = key.KeyId });
        Assert.Equal(30, scheduled.PendingWindowInDays);
        Assert.Equal(KeyState.PendingDeletion, scheduled.KeyState);
        Assert.InRange(scheduled.DeletionDate!.Value - DateTime.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));
        var pending = await sandbox.DescribeAsync("us-east-1", key.KeyId);
        Assert.Equal(30, pending.PendingDeletionWindowInDays);
        Assert.False(pending.Enabled);
        await KmsAssert.FailsWithAsync("KMSInvalidStateException", () => sandbox.Kms("us-east-1").EncryptAsync(new EncryptRequest() { KeyId = key.KeyId, Plaintext = new MemoryStream([1]) }));

        await sandbox.Kms("us-east-1").CancelKeyDeletionAsync(new CancelKeyDeletionRequest() { KeyId = key.KeyId });

        var cancelled = await sandbox.DescribeAsync("us-east-1", key.KeyId);
        Assert.Equal(KeyState.Disabled, cancelled.KeyState);
        Assert.Null(cancelled.DeletionDate);
        await KmsAssert.FailsWithAsync("KMSInvalidStateException", () => sandbox.Kms("us-east-1").CancelKeyDeletionAsync(new CancelKeyDeletionRequest() { KeyId = key.KeyId }));
    }

    [Fact]
    public async Task KeyIsReallyDeletedWhenTheWindowPasses()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");
        await sandbox.Kms("us-east-1").CreateAliasAsync(new CreateAliasRequest() { AliasName = "alias/doomed", TargetKeyId = key.KeyId });
        await sandbox.Kms("us-east-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest() { KeyId = key.KeyId, PendingWindowInDays = 7 });

        sandbox.Advance(TimeSpan.FromDays(6));
        Assert.Equal(KeyState.PendingDeletion, (await sandbox.DescribeAsync("us-east-1", key.KeyId)).KeyState);
        sandbox.Advance(TimeSpan.FromDays(1.1));

        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.DescribeAsync("us-east-1", key.KeyId));
        Assert.DoesNotContain((await sandbox.Kms("us-east-1").ListKeysAsync(new ListKeysRequest())).Keys, k => k.KeyId == key.KeyId);
        Assert.DoesNotContain((await sandbox.Kms("us-east-1").ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/doomed");
    }

    [Fact]
    public async Task PrimaryWaitsInPendingReplicaDeletionUntilItsLastReplicaIsGone()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");

        var scheduled = await sandbox.Kms("us-east-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest() { KeyId = keyId, PendingWindowInDays = 10 });
        Assert.Equal(KeyState.PendingReplicaDeletion, scheduled.KeyState);
        Assert.Null(scheduled.DeletionDate);

        // It waits for ever while the replica lives.
        sandbox.Advance(TimeSpan.FromDays(60));
        var waiting = await sandbox.DescribeAsync("us-east-1", keyId);
        Assert.Equal(KeyState.PendingReplicaDeletion, waiting.KeyState);
        Assert.Null(waiting.DeletionDate);
        Assert.Equal(10, waiting.PendingDeletionWindowInDays);

        await sandbox.Kms("eu-west-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest() { KeyId = keyId, PendingWindowInDays = 7 });
        sandbox.Advance(TimeSpan.FromDays(7.1));

        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.DescribeAsync("eu-west-1", keyId));
        var primary = await sandbox.DescribeAsync("us-east-1", keyId);
        Assert.Equal(KeyState.PendingDeletion, primary.KeyState);
        Assert.NotNull(primary.DeletionDate);
        Assert.Empty(primary.MultiRegionConfiguration.ReplicaKeys);

        sandbox.Advance(TimeSpan.FromDays(10));
        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.DescribeAsync("us-east-1", keyId));
    }

    [Fact]
    public async Task EnableAndDisableFollowTheKeyState()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var key = await sandbox.CreateKeyAsync("us-east-1");

        await sandbox.Kms("us-east-1").DisableKeyAsync(new DisableKeyRequest() { KeyId = key.Arn });
        Assert.Equal(KeyState.Disabled, (await sandbox.DescribeAsync("us-east-1", key.KeyId)).KeyState);
        await KmsAssert.FailsWithAsync("DisabledException", () => sandbox.Kms("us-east-1").EncryptAsync(new EncryptRequest() { KeyId = key.KeyId, Plaintext = new MemoryStream([1]) }));
        await sandbox.Kms("us-east-1").EnableKeyAsync(new EnableKeyRequest() { KeyId = key.KeyId });
        Assert.True((await sandbox.DescribeAsync("us-east-1", key.KeyId)).Enabled);
    }
}
