using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using BasicAWSCredentials = Amazon.Runtime.BasicAWSCredentials;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudWatch;
using KmsDashboard.Sandbox.Hosting;
using CwDimension = KmsDashboard.Core.Aws.CloudWatch.Dimension;
using Metric = KmsDashboard.Core.Aws.CloudWatch.Metric;

namespace KmsDashboard.Core.Tests.Aws.CloudWatch;

/// <summary>The CloudWatch client against the sandbox's CloudWatch, with KMS calls made through the real SDK.</summary>
public sealed class CloudWatchClientSandboxTests : IAsyncLifetime
{
    private static readonly BasicAWSCredentials Credentials = new("AKIASANDBOXTEST", "secret");
    private static readonly AwsRetryPolicy FastRetry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), ThrottlingBaseDelay = TimeSpan.FromMilliseconds(1) };
    private SandboxServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CloudWatchClient CloudWatch(string region) => new(Credentials, region, _server.Url, FastRetry);

    private AmazonKeyManagementServiceClient Kms(string region) =>
        new(Credentials, new AmazonKeyManagementServiceConfig { ServiceURL = _server.Url.ToString(), AuthenticationRegion = region });

    private static MetricDataQuery PerKey(string id, string keyArn, string operation, string stat = "Sum", int period = 60) => new()
    {
        Id = id,
        MetricStat = new MetricStat
        {
            Metric = new Metric
            {
                Namespace = "AWS/KMS", MetricName = "SuccessfulRequest",
                Dimensions = [new CwDimension { Name = "KeyArn", Value = keyArn }, new CwDimension { Name = "Operation", Value = operation }],
            },
            Period = period, Stat = stat,
        },
    };

    private static MetricDataQuery CallCount(string id, string resource) => new()
    {
        Id = id,
        MetricStat = new MetricStat
        {
            Metric = new Metric
            {
                Namespace = "AWS/Usage", MetricName = "CallCount",
                Dimensions =
                [
                    new CwDimension { Name = "Service", Value = "KMS" }, new CwDimension { Name = "Type", Value = "API" },
                    new CwDimension { Name = "Class", Value = "None" }, new CwDimension { Name = "Resource", Value = resource },
                ],
            },
            Period = 3600, Stat = "Sum",
        },
    };

    private async Task<string> UseKeyAsync(string region, int encrypts, int decrypts)
    {
        using var kms = Kms(region);
        var key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "usage test" })).KeyMetadata;
        for (var i = 0; i < encrypts; i++)
        {
            var blob = (await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream([1, 2, 3]) })).CiphertextBlob;
            if (i < decrypts) await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
        }
        return key.Arn;
    }

    [Fact]
    public async Task SuccessfulKmsCallsAreCountedPerKeyOperationAndRegion()
    {
        var arn = await UseKeyAsync("eu-west-1", encrypts: 3, decrypts: 2);
        var other = await UseKeyAsync("us-east-1", encrypts: 1, decrypts: 0);
        var now = DateTime.UtcNow;

        var response = await CloudWatch("eu-west-1").GetAllMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = now.AddHours(-1), EndTime = now.AddMinutes(5),
            MetricDataQueries =
            [
                PerKey("enc", arn, "Encrypt"), PerKey("dec", arn, "Decrypt"), PerKey("other", other, "Encrypt"),
                PerKey("avg", arn, "Encrypt", "Average"), PerKey("n", arn, "Encrypt", "SampleCount"),
                CallCount("sym", "CryptographicOperationsSymmetric"), CallCount("create", "CreateKey"),
            ],
        });

        double Total(string id) => response.MetricDataResults.Single(r => r.Id == id).Values.Sum();
        Assert.Equal(3, Total("enc"));
        Assert.Equal(2, Total("dec"));
        Assert.Equal(0, Total("other")); // that key's calls were in us-east-1
        Assert.All(response.MetricDataResults.Single(r => r.Id == "avg").Values, v => Assert.Equal(1, v));
        Assert.Equal(3, Total("n"));
        Assert.Equal(5, Total("sym"));
        Assert.Equal(1, Total("create"));
        Assert.Equal("SuccessfulRequest", response.MetricDataResults.Single(r => r.Id == "enc").Label);
        Assert.False(string.IsNullOrEmpty(response.ResponseMetadata.RequestId));
    }

    [Fact]
    public async Task ListMetricsFindsTheKeysMetricsByDimension()
    {
        var arn = await UseKeyAsync("ap-southeast-2", encrypts: 1, decrypts: 1);

        var metrics = new List<Metric>();
        await foreach (var m in CloudWatch("ap-southeast-2").ListAllMetricsAsync(new ListMetricsRequest
        {
            Namespace = "AWS/KMS", MetricName = "SuccessfulRequest", Dimensions = [new DimensionFilter { Name = "KeyArn", Value = arn }],
        }))
            metrics.Add(m);

        Assert.Equal(["Decrypt", "Encrypt"], metrics.Select(m => m.Dimensions.Single(d => d.Name == "Operation").Value).Order());
        Assert.Empty(await ToListAsync(CloudWatch("eu-north-1").ListAllMetricsAsync(new ListMetricsRequest { Namespace = "AWS/KMS" })));
    }

    [Fact]
    public async Task PagingByMaxDatapointsReturnsEveryPointOnce()
    {
        var now = DateTime.UtcNow;
        var arn = await UseKeyAsync("us-west-2", encrypts: 2, decrypts: 2);
        var request = new GetMetricDataRequest
        {
            StartTime = now.AddHours(-1), EndTime = now.AddMinutes(5), MaxDatapoints = 1, ScanBy = "TimestampAscending",
            MetricDataQueries = [PerKey("enc", arn, "Encrypt"), PerKey("dec", arn, "Decrypt"), PerKey("none", arn, "Sign")],
        };
        var first = await CloudWatch("us-west-2").GetMetricDataAsync(request);
        var pages = new System.Runtime.CompilerServices.StrongBox<int>(0);

        var all = await CloudWatch("us-west-2").GetAllMetricDataAsync(request, pages: pages);

        Assert.NotNull(first.NextToken);
        Assert.Single(first.MetricDataResults.SelectMany(r => r.Values));
        Assert.Equal(4, all.MetricDataResults.Where(r => r.Id != "none").Sum(r => r.Values.Sum()));
        Assert.True(pages.Value >= 2);
        Assert.Contains(all.MetricDataResults, r => r.Id == "none" && r.Values.Count == 0);
    }

    [Theory]
    [InlineData("Bad", 60, "Sum", "ValidationError")]
    [InlineData("ok", 45, "Sum", "InvalidParameterValue")]
    [InlineData("ok", 60, "p99.9x", "InvalidParameterValue")]
    public async Task BadQueriesGetTheRealErrorCodes(string id, int period, string stat, string code)
    {
        var now = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => CloudWatch("eu-west-1").GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = now.AddHours(-1), EndTime = now, MetricDataQueries = [PerKey(id, "arn:aws:kms:eu-west-1:111122223333:key/x", "Encrypt", stat, period)],
        }));

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task MoreThan500QueriesAndABadNextTokenAreRefused()
    {
        var now = DateTime.UtcNow;
        var tooMany = await Assert.ThrowsAsync<AwsServiceException>(() => CloudWatch("eu-west-1").GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = now.AddHours(-1), EndTime = now,
            MetricDataQueries = [.. Enumerable.Range(0, 501).Select(i => PerKey($"q{i}", "arn:aws:kms:eu-west-1:111122223333:key/x", "Encrypt"))],
        }));
        var badToken = await Assert.ThrowsAsync<AwsServiceException>(() => CloudWatch("eu-west-1").GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = now.AddHours(-1), EndTime = now, NextToken = "bm90LWEtdG9rZW4=",
            MetricDataQueries = [PerKey("q", "arn:aws:kms:eu-west-1:111122223333:key/x", "Encrypt")],
        }));

        Assert.Equal("ValidationError", tooMany.ErrorCode);
        Assert.Equal("InvalidNextToken", badToken.ErrorCode);
    }

    [Fact]
    public async Task ThrottlingIsRetriedThenSurfacedWithItsCodeStatusAndRequestId()
    {
        _server.Services.GetService<SandboxFaults>().Set("eu-west-3", new RegionFault(Throttle: true));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => CloudWatch("eu-west-3").ListMetricsAsync(new ListMetricsRequest()));

        Assert.Equal("ThrottlingException", ex.ErrorCode);
        Assert.True(ex.IsThrottling);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
    }

    [Fact]
    public async Task AnOutageIsRetriedAsAServerError()
    {
        _server.Services.GetService<SandboxFaults>().Set("ap-south-1", new RegionFault(Outage: true));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => CloudWatch("ap-south-1").ListMetricsAsync(new ListMetricsRequest()));

        Assert.Equal("ServiceUnavailableException", ex.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
    }

    [Fact]
    public async Task CancellationStopsTheCall()
    {
        _server.Services.GetService<SandboxFaults>().Set("sa-east-1", new RegionFault(Latency: TimeSpan.FromMinutes(5)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CloudWatch("sa-east-1").ListMetricsAsync(new ListMetricsRequest(), cts.Token));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }
}
