using System.Text.Json;
using Amazon.S3.Model;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>The KMS calls S3 makes on a caller's behalf, as CloudTrail, CloudWatch and GetKeyLastUsage show them (read with the aws CLI).</summary>
public sealed class S3KmsAuditTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    private const string Region = "eu-west-1";

    private async Task<List<JsonElement>> LookupAsync(AwsCli cli, string region, string attribute, string value)
    {
        var result = await cli.RunAsync(region, "cloudtrail", "lookup-events", "--lookup-attributes", $"AttributeKey={attribute},AttributeValue={value}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        return [.. result.Json.GetProperty("Events").EnumerateArray()
            .Select(e => JsonDocument.Parse(e.GetProperty("CloudTrailEvent").GetString()!).RootElement.Clone())];
    }

    [SkippableFact]
    public async Task S3sKmsCallsAreRecordedAsInvokedByS3OnTheCallersBehalfAndCounted()
    {
        var cli = new AwsCli(sandbox.Url);
        AwsCli.Require();
        var bucket = await sandbox.CreateBucketAsync(Region, "audit");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        var s3 = sandbox.S3(Region);
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                {
                    ServerSideEncryptionAlgorithm = Amazon.S3.ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
                } }],
            },
        });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "audit/one.txt", ContentBody = "one" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "audit/two.txt", ContentBody = "two", BucketKeyEnabled = true });
        using (await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "audit/one.txt" })) { }

        var events = await LookupAsync(cli, Region, "ResourceName", key.Arn);
        var elsewhere = await LookupAsync(cli, "us-east-1", "ResourceName", key.Arn);
        var management = await LookupAsync(cli, Region, "EventName", "PutBucketEncryption");
        var lastUsage = await sandbox.Kms(Region).GetKeyLastUsageAsync(new GetKeyLastUsageRequest { KeyId = key.KeyId });
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var end = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ");
        string Query(string id, string operation) =>
            $"{{\"Id\":\"{id}\",\"MetricStat\":{{\"Metric\":{{\"Namespace\":\"AWS/KMS\",\"MetricName\":\"SuccessfulRequest\",\"Dimensions\":[{{\"Name\":\"KeyArn\",\"Value\":\"{key.Arn}\"}},{{\"Name\":\"Operation\",\"Value\":\"{operation}\"}}]}},\"Period\":60,\"Stat\":\"Sum\"}}}}";
        var metrics = await cli.RunAsync(Region, "cloudwatch", "get-metric-data", "--start-time", start, "--end-time", end,
            "--metric-data-queries", $"[{Query("gdk", "GenerateDataKey")},{Query("dec", "Decrypt")}]");

        var generated = events.Where(e => e.GetProperty("eventName").GetString() == "GenerateDataKey").ToList();
        var decrypted = Assert.Single(events, e => e.GetProperty("eventName").GetString() == "Decrypt");
        Assert.Equal(2, generated.Count);
        Assert.Contains(events, e => e.GetProperty("eventName").GetString() == "CreateKey" && !e.GetProperty("userIdentity").TryGetProperty("invokedBy", out _));
        foreach (var record in generated.Append(decrypted))
        {
            Assert.Equal("s3.amazonaws.com", record.GetProperty("userIdentity").GetProperty("invokedBy").GetString());
            Assert.Equal(S3Sandbox.AccessKey, record.GetProperty("userIdentity").GetProperty("accessKeyId").GetString());
            Assert.Equal("alice", record.GetProperty("userIdentity").GetProperty("userName").GetString());
            Assert.Equal("s3.amazonaws.com", record.GetProperty("sourceIPAddress").GetString());
            Assert.Equal("s3.amazonaws.com", record.GetProperty("userAgent").GetString());
            Assert.Equal("kms.amazonaws.com", record.GetProperty("eventSource").GetString());
            Assert.Equal(Region, record.GetProperty("awsRegion").GetString());
        }
        string Context(JsonElement record) => record.GetProperty("requestParameters").GetProperty("encryptionContext").GetProperty("aws:s3:arn").GetString()!;
        Assert.Equal([$"arn:aws:s3:::{bucket}", $"arn:aws:s3:::{bucket}/audit/one.txt"], generated.Select(Context).Order());
        Assert.Equal($"arn:aws:s3:::{bucket}/audit/one.txt", Context(decrypted));
        Assert.Empty(elsewhere);
        Assert.Contains(management, e => e.GetProperty("eventSource").GetString() == "s3.amazonaws.com"
                                         && e.GetProperty("requestParameters").GetProperty("bucketName").GetString() == bucket);
        Assert.Equal("Decrypt", lastUsage.KeyLastUsage.Operation.Value);
        Assert.Equal(decrypted.GetProperty("requestID").GetString(), lastUsage.KeyLastUsage.KmsRequestId);
        Assert.True(metrics.ExitCode == 0, metrics.Stderr);
        double Sum(string id) => metrics.Json.GetProperty("MetricDataResults").EnumerateArray()
            .Single(r => r.GetProperty("Id").GetString() == id).GetProperty("Values").EnumerateArray().Sum(v => v.GetDouble());
        Assert.Equal(2, Sum("gdk"));
        Assert.Equal(1, Sum("dec"));
    }
}
