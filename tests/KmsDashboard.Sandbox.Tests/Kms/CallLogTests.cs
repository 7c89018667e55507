using System.Collections.Concurrent;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class CallLogTests
{
    private static async Task<(SandboxHarness Sandbox, ConcurrentQueue<SandboxCall> Calls, IDisposable Subscription)> StartRecordingAsync()
    {
        var sandbox = await SandboxHarness.StartAsync();
        var calls = new ConcurrentQueue<SandboxCall>();
        return (sandbox, calls, sandbox.CallLog.Subscribe(calls.Enqueue));
    }

    [Fact]
    public async Task EveryCallIsRecordedWithoutPlaintextAndFailuresCarryTheirError()
    {
        var (sandbox, calls, subscription) = await StartRecordingAsync();
        await using var _ = sandbox;
        using var __ = subscription;
        var key = await sandbox.CreateKeyAsync("us-west-2");
        await sandbox.Kms("us-west-2").EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream("secret"u8.ToArray()) });
        await KmsAssert.FailsWithAsync("NotFoundException", () => sandbox.Kms("us-west-2").DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/missing" }));

        var create = Assert.Single(calls, c => c.Operation == "CreateKey");
        Assert.False(create.ReadOnly);
        Assert.Equal("us-west-2", create.Region);
        Assert.Equal([key.Arn], create.Resources);
        Assert.Equal("AKIDSANDBOXTEST", create.AccessKeyId);
        var encrypt = Assert.Single(calls, c => c.Operation == "Encrypt");
        Assert.True(encrypt.ReadOnly);
        Assert.Null(encrypt.ErrorCode);
        Assert.False(encrypt.RequestParameters!.ContainsKey("Plaintext"));
        Assert.Equal(key.KeyId, encrypt.RequestParameters["KeyId"]!.GetValue<string>());
        var failed = Assert.Single(calls, c => c.Operation == "DescribeKey");
        Assert.Equal("NotFoundException", failed.ErrorCode);
        Assert.False(string.IsNullOrEmpty(failed.ErrorMessage));
    }

    [Fact]
    public async Task ReplicationAndPrimaryMovesAreRecordedInBothRegions()
    {
        var (sandbox, calls, subscription) = await StartRecordingAsync();
        await using var _ = sandbox;
        using var __ = subscription;
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "eu-west-1");
        await sandbox.Kms("us-east-1").UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = "eu-west-1" });

        Assert.Single(calls, c => c.Operation == "ReplicateKey" && c.Region == "us-east-1");
        var replicaCreate = Assert.Single(calls, c => c.Operation == "CreateKey" && c.Region == "eu-west-1");
        Assert.Equal([$"arn:aws:kms:eu-west-1:111122223333:key/{keyId}"], replicaCreate.Resources);
        Assert.Single(calls, c => c.Operation == "UpdatePrimaryRegion" && c.Region == "us-east-1");
        Assert.Single(calls, c => c.Operation == "UpdatePrimaryRegion" && c.Region == "eu-west-1");
    }

    [Fact]
    public async Task SynchronizationScheduledRotationAndDeletionAreServiceEvents()
    {
        var (sandbox, calls, subscription) = await StartRecordingAsync();
        await using var _ = sandbox;
        using var __ = subscription;
        var keyId = await sandbox.CreateMultiRegionKeyAsync("us-east-1", "ap-northeast-1");

        await sandbox.Kms("us-east-1").EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
        var sync = Assert.Single(calls, c => c.Operation == "SynchronizeMultiRegionKey");
        Assert.Equal("AwsServiceEvent", sync.EventType);
        Assert.Equal("ap-northeast-1", sync.Region);

        sandbox.Advance(TimeSpan.FromDays(91));
        var rotation = Assert.Single(calls, c => c.Operation == "RotateKey");
        Assert.Equal("AwsServiceEvent", rotation.EventType);
        Assert.Equal("us-east-1", rotation.Region);
        Assert.Equal(2, calls.Count(c => c.Operation == "SynchronizeMultiRegionKey"));

        await sandbox.Kms("ap-northeast-1").ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });
        sandbox.Advance(TimeSpan.FromDays(8));
        var deletion = Assert.Single(calls, c => c.Operation == "DeleteKey");
        Assert.Equal("AwsServiceEvent", deletion.EventType);
        Assert.Equal("ap-northeast-1", deletion.Region);
    }
}
