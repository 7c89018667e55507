using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

/// <summary>The demo account's trails as the aws CLI reads them: DescribeTrails, GetTrailStatus, GetEventSelectors.</summary>
public sealed class TrailCliTests : IAsyncLifetime
{
    private const string Account = "111122223333";
    private SandboxServer _server = null!;
    private AwsCli _cli = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoBuckets = false });
        _cli = new AwsCli(_server.Url);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private async Task<AwsCli.Result> RunAsync(string region, params string[] args)
    {
        var result = await _cli.RunAsync(region, ["cloudtrail", .. args]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result;
    }

    [SkippableFact]
    public async Task DescribeTrailsListsTheRegionsOwnTrailThenTheMultiRegionShadow()
    {
        var trails = (await RunAsync("eu-west-1", "describe-trails")).Json.GetProperty("trailList").EnumerateArray().ToList();

        Assert.Equal(["regional-management-events", "s3-object-audit"], trails.Select(t => t.GetProperty("Name").GetString()));
        var regional = trails[0];
        Assert.Equal("eu-west-1", regional.GetProperty("HomeRegion").GetString());
        Assert.False(regional.GetProperty("IsMultiRegionTrail").GetBoolean());
        Assert.False(regional.GetProperty("HasCustomEventSelectors").GetBoolean());
        Assert.Equal($"arn:aws:cloudtrail:eu-west-1:{Account}:trail/regional-management-events", regional.GetProperty("TrailARN").GetString());
        var shadow = trails[1];
        Assert.True(shadow.GetProperty("IsMultiRegionTrail").GetBoolean());
        Assert.Equal("us-east-1", shadow.GetProperty("HomeRegion").GetString());
        Assert.True(shadow.GetProperty("HasCustomEventSelectors").GetBoolean());
        Assert.True(shadow.GetProperty("IncludeGlobalServiceEvents").GetBoolean());
    }

    [SkippableFact]
    public async Task WithoutShadowTrailsOnlyTheRegionsOwnTrailIsListed()
    {
        var trails = (await RunAsync("us-west-2", "describe-trails", "--no-include-shadow-trails")).Json.GetProperty("trailList");

        Assert.Equal(["regional-management-events"], trails.EnumerateArray().Select(t => t.GetProperty("Name").GetString()));
    }

    [SkippableFact]
    public async Task GetTrailStatusShowsTheApNortheast1TrailStoppedAndTheOthersLogging()
    {
        var stopped = (await RunAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events")).Json;
        var logging = (await RunAsync("us-east-1", "get-trail-status", "--name", "regional-management-events")).Json;

        Assert.False(stopped.GetProperty("IsLogging").GetBoolean());
        Assert.True(stopped.TryGetProperty("StopLoggingTime", out _));
        Assert.True(logging.GetProperty("IsLogging").GetBoolean());
        Assert.False(logging.TryGetProperty("StopLoggingTime", out _));
    }

    [SkippableFact]
    public async Task AShadowTrailsStatusNeedsItsArn()
    {
        var byName = await _cli.RunAsync("eu-central-1", "cloudtrail", "get-trail-status", "--name", "s3-object-audit");
        var byArn = await RunAsync("eu-central-1", "get-trail-status", "--name", $"arn:aws:cloudtrail:us-east-1:{Account}:trail/s3-object-audit");

        Assert.NotEqual(0, byName.ExitCode);
        Assert.Contains("TrailNotFoundException", byName.Stderr);
        Assert.True(byArn.Json.GetProperty("IsLogging").GetBoolean());
    }

    [SkippableFact]
    public async Task TheMultiRegionTrailsSelectorsExcludeManagementEvents()
    {
        var selectors = (await RunAsync("us-east-1", "get-event-selectors", "--trail-name", "s3-object-audit")).Json;

        var selector = Assert.Single(selectors.GetProperty("EventSelectors").EnumerateArray());
        Assert.False(selector.GetProperty("IncludeManagementEvents").GetBoolean());
        Assert.Equal("AWS::S3::Object", selector.GetProperty("DataResources")[0].GetProperty("Type").GetString());
    }

    [SkippableFact]
    public async Task AnInvalidOrUnknownTrailNameIsRefusedWithCloudTrailsCodes()
    {
        var invalid = await _cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "a..b");
        var unknown = await _cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "no-such-trail");
        var badArn = await _cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "arn:aws:cloudtrail:nowhere");

        Assert.Contains("InvalidTrailNameException", invalid.Stderr);
        Assert.Contains($"Unknown trail: arn:aws:cloudtrail:us-east-1:{Account}:trail/no-such-trail for the user: {Account}", unknown.Stderr);
        Assert.Contains("CloudTrailARNInvalidException", badArn.Stderr);
    }

    [SkippableFact]
    public async Task AResetRestoresATrailATestStarted()
    {
        var catalog = _server.Services.GetRequiredService<TrailCatalog>();
        var stopped = catalog.All.Single(t => t.HomeRegion == TrailCatalog.StoppedRegion && t.Name == TrailCatalog.RegionalTrail);
        catalog.Put(stopped with { IsLogging = true, StopLoggingTime = null });
        Assert.True((await RunAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events")).Json.GetProperty("IsLogging").GetBoolean());

        _server.Services.GetRequiredService<SandboxControl>().Reset();

        Assert.False((await RunAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events")).Json.GetProperty("IsLogging").GetBoolean());
    }
}
