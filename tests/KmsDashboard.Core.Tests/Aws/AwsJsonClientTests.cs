using System.Net;
using Amazon.Runtime;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Core.Tests.Aws;

/// <summary>The JSON client's error surfacing, retries and cancellation, against the sandbox's dispatcher and fault injection.</summary>
public sealed class AwsJsonClientTests : IAsyncLifetime
{
    private static readonly AwsRetryPolicy FastRetry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), ThrottlingBaseDelay = TimeSpan.FromMilliseconds(1) };
    private SandboxServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ClientErrorsAreNotRetried()
    {
        // A service the sandbox does not serve answers 400 UnknownOperationException.
        var client = new ProbeClient(_server.Url, "us-east-1", new AwsJsonProtocol("nosuchservice", "nosuchservice", "NoSuch", "1.1"), FastRetry);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.CallAsync("Anything", CancellationToken.None));

        Assert.Equal("UnknownOperationException", ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal("us-east-1", ex.Region);
        Assert.Equal("Anything", ex.Operation);
    }

    [Fact]
    public void EndpointIsTheRegionsPublicOneWithoutAnExplicitUrl()
    {
        var client = new ProbeClient(null, "eu-central-1", AwsJsonProtocol.CloudWatch, FastRetry);

        Assert.Equal(new Uri("https://monitoring.eu-central-1.amazonaws.com/"), client.Endpoint);
        Assert.Equal("application/x-amz-json-1.0", AwsJsonProtocol.CloudWatch.ContentType);
        Assert.Equal("GraniteServiceVersion20100801.GetMetricData", AwsJsonProtocol.CloudWatch.Target("GetMetricData"));
    }

    [Theory]
    [InlineData("com.amazonaws.monitoring#InvalidParameterValueException", "InvalidParameterValueException")]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/", "ThrottlingException")]
    [InlineData("NotFoundException", "NotFoundException")]
    public void ErrorTypesAreNormalizedToTheirCode(string type, string code) =>
        Assert.Equal(code, AwsJsonClient.NormalizeCode(type));

    private sealed class ProbeClient(Uri? endpoint, string region, AwsJsonProtocol protocol, AwsRetryPolicy retry)
        : AwsJsonClient(new BasicAWSCredentials("AKIATEST", "secret"), region, protocol, endpoint, retry: retry)
    {
        public Task<Dictionary<string, object>> CallAsync(string operation, CancellationToken ct) =>
            InvokeAsync<Dictionary<string, object>, Dictionary<string, object>>(operation, new(), ct);
    }
}
