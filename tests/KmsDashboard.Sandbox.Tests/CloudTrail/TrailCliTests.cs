using System.Text.Json;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

/// <summary>The demo account's trails as the aws CLI reads them: DescribeTrails, GetTrailStatus, GetEventSelectors.</summary>
public sealed class TrailCliTests() : AwsCliSandboxTest(new SandboxOptions { SeedDemoBuckets = false })
{
    private Task<JsonElement> CloudTrailAsync(string region, params string[] args) => Cli.JsonAsync(region, ["cloudtrail", .. args]);

    [SkippableFact]
    public async Task DescribeTrailsListsTheRegionsOwnTrailThenTheMultiRegionShadow()
    {
        var trails = (await CloudTrailAsync("eu-west-1", "describe-trails")).GetProperty("trailList").EnumerateArray().ToList();

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
        var trails = (await CloudTrailAsync("us-west-2", "describe-trails", "--no-include-shadow-trails")).GetProperty("trailList");

        Assert.Equal(["regional-management-events"], trails.EnumerateArray().Select(t => t.GetProperty("Name").GetString()));
    }

    [SkippableFact]
    public async Task GetTrailStatusShowsTheApNortheast1TrailStoppedAndTheOthersLogging()
    {
        var stopped = await CloudTrailAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events");
        var logging = await CloudTrailAsync("us-east-1", "get-trail-status", "--name", "regional-management-events");

        Assert.False(stopped.GetProperty("IsLogging").GetBoolean());
        Assert.True(stopped.TryGetProperty("StopLoggingTime", out _));
        Assert.True(logging.GetProperty("IsLogging").GetBoolean());
        Assert.False(logging.TryGetProperty("StopLoggingTime", out _));
    }

    [SkippableFact]
    public async Task AShadowTrailsStatusNeedsItsArn()
    {
        var byName = await Cli.RunAsync("eu-central-1", "cloudtrail", "get-trail-status", "--name", "s3-object-audit");
        var byArn = await CloudTrailAsync("eu-central-1", "get-trail-status", "--name", $"arn:aws:cloudtrail:us-east-1:{Account}:trail/s3-object-audit");

        Assert.NotEqual(0, byName.ExitCode);
        Assert.Contains("TrailNotFoundException", byName.Stderr);
        Assert.True(byArn.GetProperty("IsLogging").GetBoolean());
    }

    [SkippableFact]
    public async Task TheMultiRegionTrailsSelectorsExcludeManagementEvents()
    {
        var selectors = await CloudTrailAsync("us-east-1", "get-event-selectors", "--trail-name", "s3-object-audit");

        var selector = Assert.Single(selectors.GetProperty("EventSelectors").EnumerateArray());
        Assert.False(selector.GetProperty("IncludeManagementEvents").GetBoolean());
        Assert.Equal("AWS::S3::Object", selector.GetProperty("DataResources")[0].GetProperty("Type").GetString());
    }

    [SkippableFact]
    public async Task AnInvalidOrUnknownTrailNameIsRefusedWithCloudTrailsCodes()
    {
        var invalid = await Cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "a..b");
        var unknown = await Cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "no-such-trail");
        var badArn = await Cli.RunAsync("us-east-1", "cloudtrail", "get-trail-status", "--name", "arn:aws:cloudtrail:nowhere");

        Assert.Contains("InvalidTrailNameException", invalid.Stderr);
        Assert.Contains($"Unknown trail: arn:aws:cloudtrail:us-east-1:{Account}:trail/no-such-trail for the user: {Account}", unknown.Stderr);
        Assert.Contains("CloudTrailARNInvalidException", badArn.Stderr);
    }

    [SkippableFact]
    public async Task AResetRestoresATrailATestStarted()
    {
        var catalog = Service<TrailCatalog>();
        var stopped = catalog.All.Single(t => t.HomeRegion == TrailCatalog.StoppedRegion && t.Name == TrailCatalog.RegionalTrail);
        catalog.Put(stopped with { IsLogging = true, StopLoggingTime = null });
        Assert.True((await CloudTrailAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events")).GetProperty("IsLogging").GetBoolean());

        Service<SandboxControl>().Reset();

        Assert.False((await CloudTrailAsync("ap-northeast-1", "get-trail-status", "--name", "regional-management-events")).GetProperty("IsLogging").GetBoolean());
    }
}
