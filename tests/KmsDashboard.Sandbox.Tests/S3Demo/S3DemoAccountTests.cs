using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.S3Demo;

/// <summary>The demo account's buckets, read back through AWSSDK.S3: the story the Dependents tab tells.</summary>
public sealed class S3DemoAccountTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync(seedDemo: true);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private AmazonS3Client S3(string region) => new(new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "secret"),
        new AmazonS3Config { ServiceURL = _sandbox.Server.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = region });

    [Fact]
    public async Task TheDemoBucketsTellTheirStory()
    {
        using var east = S3("us-east-1");
        using var apac = S3("ap-southeast-1");
        var payments = await _sandbox.DescribeAsync("us-east-1", "alias/payments-prod");

        var names = (await east.ListBucketsAsync(new ListBucketsRequest())).Buckets.Select(b => b.BucketName).ToList();
        Assert.Superset(new HashSet<string> { "myapp-primary", "myapp-replica", "legacy-billing-exports", "old-quarterly-reports", "terraform-state-prod", "orders-exports" }, names.ToHashSet());

        var replication = (await east.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = "myapp-primary" })).Configuration.Rules.Single();
        Assert.Equal("arn:aws:s3:::myapp-replica", replication.Destination.BucketArn);
        Assert.Equal(payments.Arn.Replace(":us-east-1:", ":ap-southeast-1:", StringComparison.Ordinal), replication.Destination.EncryptionConfiguration.ReplicaKmsKeyID);
        Assert.Equal("alias/payments-prod", (await east.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = "myapp-primary" }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        var terraform = await _sandbox.DescribeAsync("us-east-1", "alias/terraform-state");
        Assert.Equal(terraform.Arn, (await east.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = "terraform-state-prod" }))
            .ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);

        // The replicated invoices arrive in Singapore under the replica key.
        await _sandbox.Server.Services.GetRequiredService<S3SandboxState>().WaitForReplicationAsync();
        var replica = await apac.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "myapp-replica", Key = "invoices/2026/11/invoice-0001.json" });
        Assert.Equal(payments.Arn.Replace(":us-east-1:", ":ap-southeast-1:", StringComparison.Ordinal), replica.ServerSideEncryptionKeyManagementServiceKeyId);

        // Uploading with the default of a bucket whose key is pending deletion fails.
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => east.PutObjectAsync(new PutObjectRequest { BucketName = "legacy-billing-exports", Key = "x.csv", ContentBody = "x" }));
        Assert.Equal("KMS.KMSInvalidStateException", refused.ErrorCode);
    }

    [Fact]
    public async Task TheHalfMigratedBucketHoldsObjectsUnderTwoKeysAndSseS3()
    {
        using var ireland = S3("eu-west-1");
        var payments = await _sandbox.DescribeAsync("eu-west-1", "alias/payments-prod");
        var orders = await _sandbox.DescribeAsync("eu-west-1", "alias/orders-db");
        var counts = new Dictionary<string, int>();
        var request = new ListObjectsV2Request { BucketName = "orders-exports" };
        ListObjectsV2Response page;
        do
        {
            page = await ireland.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                var head = await ireland.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "orders-exports", Key = item.Key });
                var label = head.ServerSideEncryptionKeyManagementServiceKeyId ?? head.ServerSideEncryptionMethod.Value;
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);

        Assert.Equal(180, counts[payments.Arn]);
        Assert.Equal(120, counts[orders.Arn]);
        Assert.Equal(30, counts["AES256"]);
    }
}
