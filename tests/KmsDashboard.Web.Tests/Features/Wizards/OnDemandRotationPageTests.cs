using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Web.Features.Wizards;
using KmsDashboard.Web.Tests.Features.Actions;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;

namespace KmsDashboard.Web.Tests.Features.Wizards;

/// <summary>The on-demand rotation steps on the demo sandbox: the status read, the plan, the rotation and each Region's check.</summary>
public sealed class OnDemandRotationPageTests
{
    [Fact]
    public async Task ShowsTheCurrentMaterialTheHistoryAndTheRotationsUsedOf25ThenRotatesAndChecksEveryRegion()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator, more: s => s.AddRotationWizards());
        var payments = inventory.KeySetWithAlias("alias/payments-prod");
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"wizards/on-demand-rotation?key={payments.KeyId}");
        var page = ctx.RenderWithPopovers<OnDemandRotationPage>();

        page.WaitForElement("#rotation-history", TimeSpan.FromSeconds(30));
        Assert.Contains("2 of 25 (23 left)", page.Find("#on-demand-used").TextContent, StringComparison.Ordinal);
        Assert.Contains("AWS refuses an on-demand rotation", page.Find("#conflict-window").TextContent, StringComparison.Ordinal);
        var before = page.Find("#current-material").TextContent.Trim();
        Assert.Equal(2, page.FindAll("#rotation-history tbody tr").Count);

        page.Find("#plan-button").Click();
        page.WaitForElement("#plan-calls", TimeSpan.FromSeconds(30));
        Assert.Contains("RotateKeyOnDemand", page.Find("#plan-calls").TextContent, StringComparison.Ordinal);
        page.Find("#confirm").Click();

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("#rotation-result").GetAttribute("data-verified")), TimeSpan.FromSeconds(60));
        var after = page.Find("#current-material").TextContent.Trim();
        Assert.NotEqual(before, after);
        Assert.Equal(after, page.Find("#new-material").TextContent.Trim());
        Assert.Equal(after, page.Find("#rotation-history tr.new-entry").GetAttribute("data-material"));
        Assert.Contains("3 of 25", page.Find("#on-demand-used").TextContent, StringComparison.Ordinal);
        var regions = page.FindAll("tr.round-trip");
        Assert.Equal(payments.Members.Count, regions.Count);
        Assert.All(regions, r => Assert.Equal("true", r.GetAttribute("data-verified")));
    }

    [Fact]
    public async Task ADisabledReplicaIsNamedBeforeRotating()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator, more: s => s.AddRotationWizards());
        var orders = inventory.KeySetWithAlias("alias/orders-db");
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"wizards/on-demand-rotation?key={orders.KeyId}");

        var page = ctx.RenderWithPopovers<OnDemandRotationPage>();

        page.WaitForAssertion(() => Assert.Contains("eu-central-1 (Disabled)", page.Find("#unusable-regions").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}
