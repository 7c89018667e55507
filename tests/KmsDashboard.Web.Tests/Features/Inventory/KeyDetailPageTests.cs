using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class KeyDetailPageTests
{
    [Fact]
    public async Task ThePerRegionTableHighlightsOnlyWhatDiffersFromThePrimary()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");

        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, payments.KeyId));

        string Classes(string region, DriftProperty property) =>
            cut.Find($"#key-regions tr[data-region='{region}'] td[data-property='{property}']").ClassName ?? "";
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("#key-regions tbody tr").Count));
        Assert.Contains("drift-cell", Classes("eu-west-1", DriftProperty.Tags));
        Assert.Contains("drift-cell", Classes("eu-west-1", DriftProperty.Policy));
        Assert.Contains("drift-cell", Classes("eu-west-1", DriftProperty.Description));
        Assert.Contains("drift-cell", Classes("ap-southeast-1", DriftProperty.Aliases));
        Assert.DoesNotContain("drift-cell", Classes("ap-southeast-1", DriftProperty.Tags));
        Assert.DoesNotContain("drift-cell", Classes("us-west-2", DriftProperty.Aliases));
        Assert.DoesNotContain("drift-cell", Classes("us-east-1", DriftProperty.Tags));
        Assert.Contains("alias/payments-prod is missing", cut.Find("#drift-list li[data-region='ap-southeast-1']").TextContent);
        Assert.Contains("payments-prod", cut.Find("#key-title").TextContent);
        Assert.Contains("Tags", cut.Find("#drift-badge").TextContent);
    }

    [Fact]
    public async Task ALinksTabOpensThatTabAndAnUnknownOneTheFirst()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");

        // Findings link "Review the key policy" as /keys/{id}?tab=policy.
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"keys/{payments.KeyId}?tab=policy");
        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, payments.KeyId));
        cut.WaitForAssertion(() => Assert.Equal("Key policy", cut.Find("#key-tabs .mud-tab.mud-tab-active").TextContent.Trim()));

        navigation.NavigateTo($"keys/{payments.KeyId}?tab=nonsense");
        var unknown = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, payments.KeyId));
        unknown.WaitForAssertion(() => Assert.Equal("Regions", unknown.Find("#key-tabs .mud-tab.mud-tab-active").TextContent.Trim()));
    }

    [Fact]
    public async Task ThePolicyTabShowsTheReplicasExtraStatementAgainstThePrimary()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        var members = inventory.Current.FindById(payments.KeyId);

        var cut = ctx.RenderWithPopovers<PolicyPanel>(p => p.Add(x => x.Key,
            new KeyDetailContext(payments.KeyId, members, payments, "eu-west-1", inventory.Current)));

        var added = cut.FindAll("#policy-diff .line.added").Select(l => l.TextContent).ToList();
        Assert.Contains(added, l => l.Contains("payments-eu-reader"));
        Assert.Empty(cut.FindAll("#policy-diff .line.removed"));
        Assert.NotEmpty(cut.FindAll("#policy-diff .line.same"));
    }

    [Fact]
    public async Task RotationShowsThePrimarysScheduleAndHistory()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        var members = inventory.Current.FindById(payments.KeyId);

        var cut = ctx.RenderWithPopovers<RotationPanel>(p => p.Add(x => x.Key,
            new KeyDetailContext(payments.KeyId, members, payments, "eu-west-1", inventory.Current)));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#rotation-history tbody tr")));
        Assert.Contains("365 days", cut.Find("#rotation-status").TextContent);
        Assert.Matches(@"^\d+ of 25$", cut.Find("#on-demand-used").TextContent.Trim());
    }

    [Fact]
    public async Task ASingleRegionKeyIsCalledSoAndHasNoPrimaryArn()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var terraform = inventory.Current.SingleRegionKeys.First(k => k.Aliases.Contains("alias/terraform-state"));

        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, terraform.KeyId));

        cut.WaitForAssertion(() => Assert.Contains("Single-Region", cut.Find("#key-regions tbody tr").TextContent));
        Assert.DoesNotContain("None", cut.Find("#key-regions tbody tr").TextContent);
        Assert.DoesNotContain("Primary ARN", cut.Find("#key-configuration").TextContent);
        Assert.Equal(terraform.Arn, cut.Find("#key-arn").TextContent);
    }

    [Fact]
    public async Task AKeyIdThatIsNotAKeyIdIsRefusedWithAClearMessage()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseDemoInventoryAsync();

        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, "alias%2Fnope"));

        Assert.Contains("is not a KMS key id", cut.Find("#key-invalid").TextContent);
    }

    [Fact]
    public async Task AnUnknownKeyIsReportedAsNotInTheInventory()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseDemoInventoryAsync();

        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, "mrk-00000000000000000000000000000000"));

        Assert.Contains("is not in the inventory", cut.Find("#key-not-found").TextContent);
    }

    [Fact]
    public async Task APanelAnotherFeatureRegistersAppearsAsATab()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync(s => s.AddKeyDetailTab<ProbePanel>("Probe"));
        var orders = inventory.KeySetWithAlias("alias/orders-db");

        var cut = ctx.RenderWithPopovers<KeyDetailPage>(p => p.Add(x => x.KeyId, orders.KeyId));

        Assert.Contains(cut.FindAll(".mud-tab"), t => t.TextContent.Contains("Probe"));
    }

    /// <summary>A stand-in for another feature's panel.</summary>
    public sealed class ProbePanel : ComponentBase
    {
        [Parameter, EditorRequired] public KeyDetailContext Key { get; set; } = default!;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) =>
            builder.AddMarkupContent(0, $"<p id='probe'>{Key.KeyId}</p>");
    }
}
