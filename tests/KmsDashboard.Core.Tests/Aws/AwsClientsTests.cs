using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Aws;

public sealed class AwsClientsTests
{
    private static AwsClients Clients(BackendMode mode, string? serviceUrl, params string[] regions) =>
        new(Options.Create(new BackendOptions { Mode = mode, Regions = regions, ServiceUrl = serviceUrl }));

    [Fact]
    public async Task InSandboxModeEachRegionsClientReachesThatRegionOfTheSandbox()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
        using var clients = Clients(BackendMode.Sandbox, sandbox.Url.ToString(), "us-east-1", "ap-northeast-1");

        var east = (await clients.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { Description = "east" })).KeyMetadata;
        var tokyo = (await clients.Kms("ap-northeast-1").CreateKeyAsync(new CreateKeyRequest { Description = "tokyo" })).KeyMetadata;

        Assert.StartsWith("arn:aws:kms:us-east-1:", east.Arn);
        Assert.StartsWith("arn:aws:kms:ap-northeast-1:", tokyo.Arn);
        var eastKeys = (await clients.Kms("us-east-1").ListKeysAsync(new ListKeysRequest())).Keys ?? [];
        Assert.Contains(eastKeys, k => k.KeyId == east.KeyId);
        Assert.DoesNotContain(eastKeys, k => k.KeyId == tokyo.KeyId);
    }

    [Fact]
    public void OneLongLivedClientPerRegion()
    {
        using var clients = Clients(BackendMode.Sandbox, "http://127.0.0.1:9/", "us-east-1", "eu-west-1");

        Assert.Same(clients.Kms("eu-west-1"), clients.Kms("eu-west-1"));
        Assert.NotSame(clients.Kms("eu-west-1"), clients.Kms("us-east-1"));
        Assert.Same(clients.Sts("eu-west-1"), clients.Sts("eu-west-1"));
    }

    [Fact]
    public void AnExplicitEndpointIsUsedWithTheRegionForSigning()
    {
        using var clients = Clients(BackendMode.Aws, "http://localhost:4566", "eu-central-1");

        var config = clients.Configure(new AmazonKeyManagementServiceConfig(), "eu-central-1");

        Assert.Equal("http://localhost:4566", config.ServiceURL?.TrimEnd('/'));
        Assert.Equal("eu-central-1", config.AuthenticationRegion);
    }

    [Fact]
    public void WithoutAnEndpointAwsModeUsesTheRegionsOwnEndpointAndIgnoresConfiguredOnes()
    {
        using var clients = Clients(BackendMode.Aws, null, "eu-central-1");

        var config = clients.Configure(new AmazonKeyManagementServiceConfig(), "eu-central-1");

        Assert.Equal(RegionEndpoint.EUCentral1, config.RegionEndpoint);
        Assert.Null(config.ServiceURL);
        Assert.True(config.IgnoreConfiguredEndpointUrls);
    }

    [Fact]
    public void ABadRegionNameIsRefusedBeforeAnyCall()
    {
        using var clients = Clients(BackendMode.Aws, null, "eu-central-1");

        var failure = Assert.Throws<ArgumentException>(() => clients.Kms("eu-central"));

        Assert.Contains("'eu-central' is not an AWS Region name", failure.Message);
    }
}
