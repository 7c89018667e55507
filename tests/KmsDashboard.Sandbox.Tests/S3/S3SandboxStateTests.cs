using Amazon.S3.Model;
using KmsDashboard.Sandbox.S3;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>The state API other sandbox code seeds with: what it makes is what the SDK sees, and bad input changes nothing.</summary>
public sealed class S3SandboxStateTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    [Fact]
    public async Task SeededBucketsAndObjectsAreWhatTheSdkSees()
    {
        var key = await sandbox.Harness.CreateKeyAsync("us-east-1");
        var bucket = sandbox.State.CreateBucket("us-east-1", sandbox.NewBucketName("seeded"));
        sandbox.State.SetDefaultKmsEncryption(bucket.Name, key.Arn);
        sandbox.State.SetTags(bucket.Name, new Dictionary<string, string> { ["app"] = "myapp" });
        var put = sandbox.State.PutObject(bucket.Name, "seed.txt", "seeded"u8.ToArray());

        var head = await sandbox.S3("us-east-1").GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket.Name, Key = "seed.txt" });
        var encryption = await sandbox.S3("us-east-1").GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket.Name });

        Assert.Equal(key.Arn, put.KmsKeyArn);
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(key.Arn, encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules.Single().ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("myapp", sandbox.State.GetBucket(bucket.Name)!.Tags["app"]);
        Assert.Contains(sandbox.State.ListBuckets("us-east-1"), b => b.Name == bucket.Name);
        Assert.DoesNotContain(sandbox.State.ListBuckets("eu-west-1"), b => b.Name == bucket.Name);
    }

    [Fact]
    public async Task SyntheticObjectsCostOneKmsCallAndReadBackThroughTheSdk()
    {
        var key = await sandbox.Harness.CreateKeyAsync("eu-west-1");
        var bucket = sandbox.State.CreateBucket("eu-west-1", sandbox.NewBucketName("synthetic")).Name;
        var kmsCalls = 0;
        using var subscription = sandbox.Harness.CallLog.Subscribe(c => { if (c.InvokedBy == "s3.amazonaws.com") Interlocked.Increment(ref kmsCalls); });

        var added = sandbox.State.AddSyntheticObjects(bucket, 2_500, key.KeyId, size: 32);
        var pages = 0;
        var listed = 0;
        string? token = null;
        do
        {
            var page = await sandbox.S3("eu-west-1").ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            listed += page.KeyCount ?? 0;
            pages++;
            token = page.NextContinuationToken;
        }
        while (token is not null);
        using var get = await sandbox.S3("eu-west-1").GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "synthetic/001234" });

        Assert.Equal(2_500, added);
        Assert.Equal(2_500, listed);
        Assert.Equal(3, pages);
        Assert.Equal(2, kmsCalls); // GenerateDataKey for the batch, Decrypt for the one read
        Assert.Equal(key.Arn, get.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(get.BucketKeyEnabled);
        Assert.Equal(32, get.ContentLength);
    }

    [Fact]
    public void BadInputThrowsS3sErrorAndChangesNothing()
    {
        var bucket = sandbox.State.CreateBucket("eu-west-1", sandbox.NewBucketName("strict")).Name;

        var badName = Assert.Throws<S3Exception>(() => sandbox.State.CreateBucket("eu-west-1", "UPPER"));
        var duplicate = Assert.Throws<S3Exception>(() => sandbox.State.CreateBucket("eu-west-1", bucket));
        var unversioned = Assert.Throws<S3Exception>(() => sandbox.State.SetReplication(bucket,
            new BucketReplication("arn:aws:iam::111122223333:role/r", [new BucketReplicationRule("r", "nowhere", null, SseKmsEncryptedObjects: false)])));
        var noBucket = Assert.Throws<S3Exception>(() => sandbox.State.PutObject("no-such-bucket-here", "k", [1]));

        Assert.Equal("InvalidBucketName", badName.Code);
        Assert.Equal("BucketAlreadyOwnedByYou", duplicate.Code);
        Assert.Equal("InvalidRequest", unversioned.Code);
        Assert.Equal("NoSuchBucket", noBucket.Code);
        Assert.Null(sandbox.State.GetBucket(bucket)!.Replication);
        Assert.DoesNotContain(sandbox.State.ListBuckets(), b => b.Name == "UPPER" || b.Name == "no-such-bucket-here");
    }
}
