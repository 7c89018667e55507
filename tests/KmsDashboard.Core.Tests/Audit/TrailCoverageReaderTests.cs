using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Tests.Inventory;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Audit;

/// <summary>Trail coverage (check 5) read from the sandbox's demo account: ap-northeast-1's only management trail is stopped.</summary>
public sealed class TrailCoverageReaderTests : IAsyncLifetime
{
    private InventoryHarness _harness = null!;
    private TrailCoverageReader _reader = null!;

    public async Task InitializeAsync()
    {
        _harness = await InventoryHarness.StartAsync();
        _reader = new TrailCoverageReader(new CloudTrailClients(_harness.Clients, new CloudTrailRateLimiter()));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task EveryDemoRegionButApNortheast1IsCoveredByItsRegionalTrail()
    {
        var coverage = await _reader.ReadAsync(InventoryHarness.DemoRegions, CancellationToken.None);

        Assert.Equal(InventoryHarness.DemoRegions, coverage.Select(c => c.Region));
        Assert.All(coverage, c => Assert.Null(c.Error));
        var uncovered = Assert.Single(coverage, c => !c.LogsManagementEvents);
        Assert.Equal("ap-northeast-1", uncovered.Region);
        Assert.Null(uncovered.TrailName);
        Assert.All(coverage.Where(c => c.LogsManagementEvents), c => Assert.Equal("regional-management-events", c.TrailName));
    }

    [Fact]
    public async Task TheMultiRegionDataEventsTrailDoesNotCountButAMultiRegionManagementTrailCoversEveryRegion()
    {
        var catalog = _harness.Server.Services.GetRequiredService<TrailCatalog>();
        var regional = catalog.All.Single(t => t.HomeRegion == "us-east-1" && t.Name == TrailCatalog.RegionalTrail);
        catalog.Put(regional with { Name = "org-management", IsMultiRegionTrail = true });
        foreach (var trail in catalog.All.Where(t => t.Name == TrailCatalog.RegionalTrail).ToList())
            catalog.Put(trail with { IsLogging = false, StopLoggingTime = trail.StartLoggingTime.AddDays(1) });

        var coverage = await _reader.ReadAsync(["ap-northeast-1", "eu-west-1"], CancellationToken.None);

        Assert.All(coverage, c => Assert.True(c.LogsManagementEvents, c.Region));
        Assert.All(coverage, c => Assert.Equal("org-management", c.TrailName));
    }

    [Fact]
    public async Task ARegionInOutageIsReportedWithItsErrorAndTheOthersAreStillRead()
    {
        _harness.Faults.Set("eu-west-1", new RegionFault(Outage: true));

        var coverage = await _reader.ReadAsync(["us-east-1", "eu-west-1", "ap-northeast-1"], CancellationToken.None);

        var failed = Assert.Single(coverage, c => c.Error is not null);
        Assert.Equal("eu-west-1", failed.Region);
        Assert.Contains("ServiceUnavailableException", failed.Error);
        Assert.True(coverage.Single(c => c.Region == "us-east-1").LogsManagementEvents);
        Assert.False(coverage.Single(c => c.Region == "ap-northeast-1").LogsManagementEvents);
    }

    [Fact]
    public void AdvancedSelectorsCountWhenTheyChooseTheManagementCategory()
    {
        var management = new GetEventSelectorsResponse
        {
            AdvancedEventSelectors = [new() { FieldSelectors = [new() { Field = "eventCategory", EqualTo = ["Management"] }] }],
        };
        var dataOnly = new GetEventSelectorsResponse
        {
            AdvancedEventSelectors = [new() { FieldSelectors = [new() { Field = "eventCategory", EqualTo = ["Data"] }] }],
        };

        Assert.True(TrailCoverageReader.LogsManagementEvents(management));
        Assert.False(TrailCoverageReader.LogsManagementEvents(dataOnly));
    }
}
