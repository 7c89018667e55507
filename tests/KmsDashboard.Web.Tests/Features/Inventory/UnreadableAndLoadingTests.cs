using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Inventory;

/// <summary>A key the dashboard may not read and a Region still loading, as the key map and the key page show them.</summary>
public sealed class UnreadableAndLoadingTests
{
    private const string AliceOnly =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:*","Resource":"*"}]}""";

    private static async Task<KeyMetadata> CreateAliceOnlyKeyAsync(SandboxServer sandbox)
    {
        using var alice = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(DemoAccessKeys.Alice, "secret"),
            new AmazonKeyManagementServiceConfig { ServiceURL = sandbox.Url.ToString(), AuthenticationRegion = "us-east-1" });
        return (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly, Description = "alice only" })).KeyMetadata;
    }

    [Fact]
    public async Task AKeyThePolicyShutsTheDashboardOutOfIsNotReadableOnTheKeyMapAndItsPage()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var key = await CreateAliceOnlyKeyAsync(ctx.Sandbox);
        await inventory.RefreshAsync(CancellationToken.None);

        var map = ctx.RenderInCircuit<KeyMapView>();
        map.WaitForAssertion(() => Assert.NotEmpty(map.FindAll($"tr.key-row[data-key-id='{key.KeyId}']")));
        var cell = map.Find($"tr.key-row[data-key-id='{key.KeyId}'] td[data-region='us-east-1']");
        Assert.Contains("unreadable", cell.ClassName);
        Assert.Contains("not readable", cell.TextContent);
        Assert.Contains("not readable: DescribeKey refused (AccessDeniedException", cell.GetAttribute("title"));
        // The rest of us-east-1 is there as usual.
        Assert.Contains("Primary", map.Find($"tr.key-row[data-key-id='{inventory.KeySetWithAlias("alias/payments-prod").KeyId}'] td[data-region='us-east-1']").TextContent);

        var page = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, key.KeyId));
        page.WaitForAssertion(() => Assert.Contains("Not readable in us-east-1", page.Find(".key-unreadable").TextContent));
        Assert.Contains("is not authorized to perform: kms:DescribeKey", page.Find(".key-unreadable").TextContent);
        Assert.Contains("not readable: DescribeKey refused", page.Find("#key-regions tr[data-region='us-east-1'] .unreadable").TextContent);
    }

    [Fact]
    public async Task TheKeyMapShowsASlowRegionAsLoadingSinceWhileTheOthersAreAlreadyShown()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var before = inventory.Current;
        ctx.Sandbox.Services.GetRequiredService<SandboxFaults>().Set("ap-southeast-1", new RegionFault(Latency: TimeSpan.FromMinutes(5)));

        _ = inventory.RefreshAsync(CancellationToken.None);
        var map = ctx.RenderInCircuit<KeyMapView>();

        map.WaitForAssertion(() =>
        {
            Assert.All(DashboardTestContext.DemoRegions.Where(r => r != "ap-southeast-1"),
                r => Assert.True(inventory.Current.StatusOf(r).ReadAt > before.StatusOf(r).ReadAt, r));
            Assert.Contains("loading since", map.Find("th.region-col[data-region='ap-southeast-1'] .region-loading").TextContent);
            Assert.Single(map.FindAll("th.region-col .region-loading"));
        }, TimeSpan.FromSeconds(30));
    }
}
