using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class OverviewPageTests
{
    [Fact]
    public async Task CountsTheEstateAndDrawsEachRegionAndReplicationArc()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();

        var cut = ctx.RenderWithPopovers<OverviewPage>();

        Assert.Equal(inventory.Current.KeySets.Count.ToString(), cut.Find("#count-key-sets").TextContent.Trim());
        Assert.Equal("6 / 6", cut.Find("#count-regions").TextContent.Trim());
        Assert.Equal(6, cut.FindAll("#region-map g.region.healthy").Count);
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        Assert.Single(cut.FindAll("#region-map path.arc[data-from='us-east-1'][data-to='ap-southeast-1']"));
        Assert.Contains(cut.FindAll("#drifted-key-sets a"), a => a.GetAttribute("href") == $"keys/{payments.KeyId}");
        Assert.Contains("legacy-billing", cut.Find("#stuck-primaries").TextContent);
        Assert.Contains("old-reports", cut.Find("#pending-deletion").TextContent);
    }

    [Fact]
    public async Task ARegionThatFailsIsShownDownWithItsLastDataKept()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var cut = ctx.RenderWithPopovers<OverviewPage>();
        var keysBefore = cut.Find("#count-keys").TextContent;

        ctx.Sandbox.Services.GetRequiredService<SandboxFaults>().Set("eu-west-1", new RegionFault(Outage: true));
        await inventory.RefreshAsync(CancellationToken.None);

        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("#region-health tr[data-region='eu-west-1']").GetAttribute("data-healthy")));
        Assert.Contains("down", cut.Find("#region-health tr[data-region='eu-west-1']").TextContent);
        Assert.Contains("eu-west-1 is not answering", cut.Find(".region-failure[data-region='eu-west-1']").TextContent);
        Assert.Equal("5 / 6", cut.Find("#count-regions").TextContent.Trim());
        Assert.Equal(keysBefore, cut.Find("#count-keys").TextContent);
        Assert.Single(cut.FindAll("#region-map g.region.failing"));
    }
}
