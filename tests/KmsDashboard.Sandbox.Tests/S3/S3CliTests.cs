using Amazon.S3.Model;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>The sandbox's S3 through the Python aws CLI (v1): s3 cp up and down (multipart above 8 MB), the in-place re-encrypt, s3api config calls.</summary>
public sealed class S3CliTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>, IDisposable
{
    private const string Region = "eu-west-1";
    private readonly string _directory = Directory.CreateTempSubdirectory("s3cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<AwsCli.Result> RunAsync(params string[] args)
    {
        var result = await new AwsCli(sandbox.Url).RunAsync(Region, args);
        return result;
    }

    [SkippableFact]
    public async Task CpUploadsAndDownloadsIncludingAFileLargeEnoughForMultipart()
    {
        AwsCli.Require();
        var bucket = await sandbox.CreateBucketAsync(Region, "cli-cp");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        sandbox.State.SetDefaultKmsEncryption(bucket, key.KeyId);
        var small = Path.Combine(_directory, "small.txt");
        var big = Path.Combine(_directory, "big.bin");
        await File.WriteAllTextAsync(small, "small file");
        var bytes = new byte[9 * 1024 * 1024 + 123];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(big, bytes);

        var upSmall = await RunAsync("s3", "cp", small, $"s3://{bucket}/docs/small.txt");
        var upBig = await RunAsync("s3", "cp", big, $"s3://{bucket}/blobs/big.bin");
        var down = await RunAsync("s3", "cp", $"s3://{bucket}/blobs/big.bin", Path.Combine(_directory, "down.bin"));
        var downSmall = await RunAsync("s3", "cp", $"s3://{bucket}/docs/small.txt", Path.Combine(_directory, "down.txt"));
        var head = await sandbox.S3(Region).GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "blobs/big.bin" });

        Assert.True(upSmall.ExitCode == 0, upSmall.Stderr);
        Assert.True(upBig.ExitCode == 0, upBig.Stderr);
        Assert.True(down.ExitCode == 0, down.Stderr);
        Assert.True(downSmall.ExitCode == 0, downSmall.Stderr);
        Assert.Matches("-[0-9]+\"$", head.ETag);
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_directory, "down.bin")));
        Assert.Equal("small file", await File.ReadAllTextAsync(Path.Combine(_directory, "down.txt")));
    }

    [SkippableFact]
    public async Task RecursiveCopyInPlaceReEncryptsEveryObjectUnderTheAliasedKey()
    {
        AwsCli.Require();
        var bucket = await sandbox.CreateBucketAsync(Region, "cli-rekey");
        var oldKey = await sandbox.Harness.CreateKeyAsync(Region);
        var newKey = await sandbox.Harness.CreateKeyAsync(Region);
        var alias = $"alias/rekey-{Guid.NewGuid():N}";
        await sandbox.Kms(Region).CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = newKey.KeyId });
        string[] keys = ["a.txt", "dir/b.txt", "dir/sub/c d.txt", "e+f.txt"];
        foreach (var k in keys) sandbox.State.PutObject(bucket, k, System.Text.Encoding.UTF8.GetBytes("content of " + k), kmsKeyId: oldKey.KeyId);

        var refused = await RunAsync("s3", "cp", $"s3://{bucket}/a.txt", $"s3://{bucket}/a.txt");
        var rekey = await RunAsync("s3", "cp", $"s3://{bucket}/", $"s3://{bucket}/", "--recursive", "--sse", "aws:kms", "--sse-kms-key-id", alias,
            "--metadata-directive", "REPLACE");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("InvalidRequest", refused.Stderr);
        Assert.True(rekey.ExitCode == 0, rekey.Stderr);
        var objects = sandbox.State.ListObjects(bucket);
        Assert.Equal(keys.Order(StringComparer.Ordinal), objects.Select(o => o.Key));
        Assert.All(objects, o => Assert.Equal(newKey.Arn, o.KmsKeyArn));
        Assert.All(keys, k => Assert.Equal("content of " + k, System.Text.Encoding.UTF8.GetString(sandbox.State.GetObject(bucket, k))));
    }

    [SkippableFact]
    public async Task S3apiSetsAndReadsEncryptionAndReplication()
    {
        AwsCli.Require();
        var source = await sandbox.CreateBucketAsync(Region, "cli-src", versioned: true);
        var destination = await sandbox.CreateBucketAsync("ap-southeast-1", "cli-dst", versioned: true);
        const string ReplicaKey = "arn:aws:kms:ap-southeast-1:111122223333:key/mrk-00000000000000000000000000000001";

        var put = await RunAsync("s3api", "put-bucket-encryption", "--bucket", source, "--server-side-encryption-configuration",
            "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/payments\"},\"BucketKeyEnabled\":true}]}");
        var get = await RunAsync("s3api", "get-bucket-encryption", "--bucket", source);
        var replicate = await RunAsync("s3api", "put-bucket-replication", "--bucket", source, "--replication-configuration",
            $"{{\"Role\":\"arn:aws:iam::111122223333:role/replication\",\"Rules\":[{{\"ID\":\"to-singapore\",\"Priority\":1,\"Status\":\"Enabled\",\"Filter\":{{\"Prefix\":\"\"}},\"DeleteMarkerReplication\":{{\"Status\":\"Disabled\"}},\"SourceSelectionCriteria\":{{\"SseKmsEncryptedObjects\":{{\"Status\":\"Enabled\"}}}},\"Destination\":{{\"Bucket\":\"arn:aws:s3:::{destination}\",\"EncryptionConfiguration\":{{\"ReplicaKmsKeyID\":\"{ReplicaKey}\"}}}}}}]}}");
        var replication = await RunAsync("s3api", "get-bucket-replication", "--bucket", source);
        var missing = await RunAsync("s3api", "get-bucket-encryption", "--bucket", destination);

        Assert.True(put.ExitCode == 0, put.Stderr);
        Assert.True(get.ExitCode == 0, get.Stderr);
        var rule = get.Json.GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0];
        Assert.Equal("alias/payments", rule.GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("KMSMasterKeyID").GetString());
        Assert.True(rule.GetProperty("BucketKeyEnabled").GetBoolean());
        Assert.True(replicate.ExitCode == 0, replicate.Stderr);
        Assert.True(replication.ExitCode == 0, replication.Stderr);
        var destinationJson = replication.Json.GetProperty("ReplicationConfiguration").GetProperty("Rules")[0].GetProperty("Destination");
        Assert.Equal(ReplicaKey, destinationJson.GetProperty("EncryptionConfiguration").GetProperty("ReplicaKmsKeyID").GetString());
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("ServerSideEncryptionConfigurationNotFoundError", missing.Stderr);
    }
}
