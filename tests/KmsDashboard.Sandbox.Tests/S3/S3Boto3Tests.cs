using System.Diagnostics;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>A boto3 round trip (a short Python script run as a process): buckets, SSE-KMS put/head/get, a multipart upload_file, listing, delete.</summary>
public sealed class S3Boto3Tests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    private const string Script = """
        import json, sys, boto3
        from boto3.s3.transfer import TransferConfig
        endpoint, bucket, path = sys.argv[1], sys.argv[2], sys.argv[3]
        session = boto3.session.Session(aws_access_key_id="AKIAI44QH8DHBEXAMPLE", aws_secret_access_key="x", region_name="us-west-2")
        kms = session.client("kms", endpoint_url=endpoint)
        s3 = session.client("s3", endpoint_url=endpoint)
        key = kms.create_key(Description="boto3 round trip")["KeyMetadata"]
        kms.create_alias(AliasName="alias/boto3-round-trip", TargetKeyId=key["KeyId"])
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        s3.put_object(Bucket=bucket, Key="hello/world.txt", Body=b"hello from boto3", ServerSideEncryption="aws:kms",
                      SSEKMSKeyId="alias/boto3-round-trip", Metadata={"source": "boto3"})
        head = s3.head_object(Bucket=bucket, Key="hello/world.txt")
        body = s3.get_object(Bucket=bucket, Key="hello/world.txt")["Body"].read().decode()
        s3.upload_file(path, bucket, "big/file.bin", ExtraArgs={"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": key["Arn"]},
                       Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
        big = s3.head_object(Bucket=bucket, Key="big/file.bin")
        s3.download_file(bucket, "big/file.bin", path + ".down")
        same = open(path, "rb").read() == open(path + ".down", "rb").read()
        listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
        s3.delete_object(Bucket=bucket, Key="hello/world.txt")
        after = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        print(json.dumps({"keyArn": key["Arn"], "sse": head["ServerSideEncryption"], "kmsKey": head["SSEKMSKeyId"],
                          "metadata": head["Metadata"], "body": body, "bigETag": big["ETag"], "bigKey": big["SSEKMSKeyId"],
                          "same": same, "listed": listed, "after": after}))
        """;

    [SkippableFact]
    public async Task Boto3RoundTripsObjectsUnderSseKms()
    {
        var python = ExternalTool.Require("python3");
        var directory = Directory.CreateTempSubdirectory("boto3-").FullName;
        try
        {
            var scriptPath = Path.Combine(directory, "round_trip.py");
            var dataPath = Path.Combine(directory, "data.bin");
            await File.WriteAllTextAsync(scriptPath, Script);
            var data = new byte[6 * 1024 * 1024 + 17];
            Random.Shared.NextBytes(data);
            await File.WriteAllBytesAsync(dataPath, data);
            var bucket = sandbox.NewBucketName("boto3");
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { scriptPath, sandbox.Url.ToString().TrimEnd('/'), bucket, dataPath }) start.ArgumentList.Add(arg);
            foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION" }) start.Environment.Remove(name);
            start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);

            Assert.True(process.ExitCode == 0, await stderr);
            var result = JsonDocument.Parse(await stdout).RootElement;
            var keyArn = result.GetProperty("keyArn").GetString();
            Assert.Equal("aws:kms", result.GetProperty("sse").GetString());
            Assert.Equal(keyArn, result.GetProperty("kmsKey").GetString());
            Assert.Equal("boto3", result.GetProperty("metadata").GetProperty("source").GetString());
            Assert.Equal("hello from boto3", result.GetProperty("body").GetString());
            Assert.EndsWith("-2\"", result.GetProperty("bigETag").GetString());
            Assert.Equal(keyArn, result.GetProperty("bigKey").GetString());
            Assert.True(result.GetProperty("same").GetBoolean());
            Assert.Equal(["big/file.bin", "hello/world.txt"], result.GetProperty("listed").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["big/file.bin"], result.GetProperty("after").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("us-west-2", sandbox.State.GetBucket(bucket)!.Region);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
