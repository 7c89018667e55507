using Amazon.S3;
using Amazon.S3.Model;
using ReplicationConfiguration = Amazon.S3.Model.ReplicationConfiguration;
using ReplicationRule = Amazon.S3.Model.ReplicationRule;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>Cross-Region replication of SSE-KMS objects under the replica key, asynchronously, through AWSSDK.S3.</summary>
public sealed class S3ReplicationTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    private async Task<(string Source, string Destination, string KeyId)> PairAsync(string stem, string? objectBeforeRule = null)
    {
        var keyId = await sandbox.Harness.CreateMultiRegionKeyAsync("us-east-1", "ap-southeast-1");
        var source = await sandbox.CreateBucketAsync("us-east-1", stem + "-src", versioned: true);
        var destination = await sandbox.CreateBucketAsync("ap-southeast-1", stem + "-dst", versioned: true);
        sandbox.State.SetDefaultKmsEncryption(source, keyId);
        if (objectBeforeRule is not null) sandbox.State.PutObject(source, objectBeforeRule, "old"u8.ToArray());
        await sandbox.S3("us-east-1").PutBucketReplicationAsync(new PutBucketReplicationRequest
        {
            BucketName = source,
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::111122223333:role/s3-replication",
                Rules =
                [
                    new ReplicationRule
                    {
                        Id = "kms-objects",
                        Status = ReplicationRuleStatus.Enabled,
                        Priority = 1,
                        Filter = new ReplicationRuleFilter { Prefix = "" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Disabled },
                        SourceSelectionCriteria = new SourceSelectionCriteria
                        {
                            SseKmsEncryptedObjects = new SseKmsEncryptedObjects { SseKmsEncryptedObjectsStatus = SseKmsEncryptedObjectsStatus.Enabled },
                        },
                        Destination = new ReplicationDestination
                        {
                            BucketArn = $"arn:aws:s3:::{destination}",
                            EncryptionConfiguration = new EncryptionConfiguration { ReplicaKmsKeyID = $"arn:aws:kms:ap-southeast-1:111122223333:key/{keyId}" },
                        },
                    },
                ],
            },
        });
        return (source, destination, keyId);
    }

    private async Task<GetObjectMetadataResponse> WaitForStatusAsync(string bucket, string key, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var head = await sandbox.S3("us-east-1").GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key });
            if (head.ReplicationStatus?.Value == status || DateTime.UtcNow > deadline) return head;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task NewObjectsReplicateUnderTheReplicaKeyPendingThenCompleted()
    {
        // Long enough that the HeadObject right after the upload still sees PENDING on a loaded machine.
        sandbox.State.ReplicationDelay = TimeSpan.FromSeconds(4);
        var (source, destination, keyId) = await PairAsync("repl", objectBeforeRule: "before-the-rule.txt");
        var earlier = await sandbox.S3("us-east-1").PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "orders/1.json", ContentBody = "{\"id\":1}" });

        var pending = await sandbox.S3("us-east-1").GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = source, Key = "orders/1.json" });
        var completed = await WaitForStatusAsync(source, "orders/1.json", "COMPLETED");
        var replica = await sandbox.S3("ap-southeast-1").GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = destination, Key = "orders/1.json" });
        using var body = await sandbox.S3("ap-southeast-1").GetObjectAsync(new GetObjectRequest { BucketName = destination, Key = "orders/1.json" });
        using var reader = new StreamReader(body.ResponseStream);

        Assert.Equal(ReplicationStatus.Pending, pending.ReplicationStatus);
        Assert.Equal(ReplicationStatus.Completed, completed.ReplicationStatus);
        Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{keyId}", completed.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(ReplicationStatus.Replica, replica.ReplicationStatus);
        Assert.Equal($"arn:aws:kms:ap-southeast-1:111122223333:key/{keyId}", replica.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(earlier.VersionId, replica.VersionId);
        Assert.Equal("{\"id\":1}", await reader.ReadToEndAsync());
        Assert.Null(sandbox.State.HeadObject(source, "before-the-rule.txt")!.ReplicationStatus);
        Assert.Equal(["orders/1.json"], sandbox.State.ListObjects(destination).Select(o => o.Key));
    }

    [Fact]
    public async Task AnUnusableReplicaKeyFailsTheReplication()
    {
        sandbox.State.ReplicationDelay = TimeSpan.Zero;
        var (source, destination, keyId) = await PairAsync("fail");
        await sandbox.Kms("ap-southeast-1").DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });

        await sandbox.S3("us-east-1").PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "lost.txt", ContentBody = "lost" });
        var failed = await WaitForStatusAsync(source, "lost.txt", "FAILED");
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            sandbox.S3("ap-southeast-1").GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = destination, Key = "lost.txt" }));

        Assert.Equal(ReplicationStatus.Failed, failed.ReplicationStatus);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task SseKmsObjectsAreLeftAloneByARuleThatDoesNotSelectThem()
    {
        sandbox.State.ReplicationDelay = TimeSpan.Zero;
        var keyId = await sandbox.Harness.CreateMultiRegionKeyAsync("us-east-1", "ap-southeast-1");
        var source = await sandbox.CreateBucketAsync("us-east-1", "plainrule-src", versioned: true);
        var destination = await sandbox.CreateBucketAsync("ap-southeast-1", "plainrule-dst", versioned: true);
        sandbox.State.SetReplication(source, new KmsDashboard.Sandbox.S3.BucketReplication("arn:aws:iam::111122223333:role/r",
            [new KmsDashboard.Sandbox.S3.BucketReplicationRule("plain", destination, ReplicaKmsKeyId: null, SseKmsEncryptedObjects: false)]));

        var kms = sandbox.State.PutObject(source, "kms.txt", "k"u8.ToArray(), kmsKeyId: keyId);
        sandbox.State.PutObject(source, "plain.txt", "p"u8.ToArray());
        await sandbox.State.WaitForReplicationAsync();

        Assert.Null(kms.ReplicationStatus);
        Assert.Equal("COMPLETED", sandbox.State.HeadObject(source, "plain.txt")!.ReplicationStatus);
        Assert.Equal(["plain.txt"], sandbox.State.ListObjects(destination).Select(o => o.Key));
    }
}
