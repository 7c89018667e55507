using KmsDashboard.Core.Aws;
using KmsDashboard.Web.Components.Shared;

namespace KmsDashboard.Web.Tests.Components;

public sealed class RegionChipTests
{
    [Theory]
    [InlineData(RegionReachability.Reachable, "mud-chip-color-success")]
    [InlineData(RegionReachability.Degraded, "mud-chip-color-warning")]
    [InlineData(RegionReachability.Unreachable, "mud-chip-color-error")]
    public async Task ColoursTheRegionByItsReachability(RegionReachability reachability, string colourClass)
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<RegionChip>(p => p.Add(x => x.Region, "eu-west-1").Add(x => x.Reachability, reachability));

        var chip = cut.Find(".region-chip");
        Assert.Contains(colourClass, chip.ClassList);
        Assert.Equal("eu-west-1", chip.TextContent.Trim());
        Assert.Equal(reachability.ToString(), chip.GetAttribute("data-reachability"));
    }

    [Fact]
    public async Task WithoutAReachabilityItIsPlain()
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<RegionChip>(p => p.Add(x => x.Region, "us-east-1"));

        Assert.Contains("mud-chip-color-default", cut.Find(".region-chip").ClassList);
    }
}
