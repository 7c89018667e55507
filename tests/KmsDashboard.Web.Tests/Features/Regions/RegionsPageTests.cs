using Bunit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Web.Features.Regions;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;

namespace KmsDashboard.Web.Tests.Features.Regions;

public sealed class RegionsPageTests
{
    private static string StatusOf(IRenderedComponent<RegionsPage> cut, string region) =>
        cut.Find($".region-status[data-region='{region}']").TextContent.Trim();

    [Fact]
    public async Task ListsEveryConfiguredRegionWithItsMeasuredLatency()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseSandboxAsync();
        ctx.UseSignedInUser(Viewer);
        await ctx.Services.GetRequiredService<RegionHealth>().ProbeAllAsync();

        var cut = ctx.RenderWithPopovers<RegionsPage>();

        var rows = cut.FindAll("#regions-table tbody tr");
        Assert.Equal(DashboardTestContext.DemoRegions.Length, rows.Count);
        foreach (var region in DashboardTestContext.DemoRegions)
            Assert.NotEqual(nameof(RegionReachability.Unreachable), StatusOf(cut, region));
        Assert.All(rows, row => Assert.Matches(@"\d+ ms", row.Children[2].TextContent));
    }

    [Fact]
    public async Task AnOutageInjectedInOneRegionShowsItDownAndLeavesTheOthersUp()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseSandboxAsync();
        ctx.UseSignedInUser(Admin);
        await ctx.Services.GetRequiredService<RegionHealth>().ProbeAllAsync();
        var cut = ctx.RenderWithPopovers<RegionsPage>();

        cut.Find("#outage-eu-west-1").Click();

        cut.WaitForAssertion(() => Assert.Equal(nameof(RegionReachability.Unreachable), StatusOf(cut, "eu-west-1")));
        Assert.Equal("outage", cut.Find(".sandbox-fault[data-region='eu-west-1']").TextContent.Trim());
        Assert.Equal("eu-west-1", Assert.Single(cut.FindAll(".down-since")).GetAttribute("data-region"));
        Assert.Contains("ServiceUnavailableException", cut.Find("#regions-table").TextContent);
        foreach (var region in DashboardTestContext.DemoRegions.Where(r => r != "eu-west-1"))
            Assert.NotEqual(nameof(RegionReachability.Unreachable), StatusOf(cut, region));
    }

    [Fact]
    public async Task ClearingTheOutageBringsTheRegionBack()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseSandboxAsync();
        ctx.UseSignedInUser(Admin);
        var controls = ctx.Services.GetRequiredService<SandboxControls>();
        await controls.SetOutageAsync(Admin, "ap-southeast-1", true);
        var cut = ctx.RenderWithPopovers<RegionsPage>();
        Assert.Equal(nameof(RegionReachability.Unreachable), StatusOf(cut, "ap-southeast-1"));

        cut.Find("#clear-ap-southeast-1").Click();

        cut.WaitForAssertion(() => Assert.NotEqual(nameof(RegionReachability.Unreachable), StatusOf(cut, "ap-southeast-1")));
        Assert.Equal("", cut.Find(".sandbox-fault[data-region='ap-southeast-1']").TextContent.Trim());
    }

    [Fact]
    public async Task AViewerSeesTheSandboxControlsDisabledAndTheServerRefusesThem()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseSandboxAsync();
        ctx.UseSignedInUser(Viewer);
        var controls = ctx.Services.GetRequiredService<SandboxControls>();

        var cut = ctx.RenderWithPopovers<RegionsPage>();

        cut.WaitForAssertion(() => Assert.True(cut.Find("#outage-eu-west-1").HasAttribute("disabled")));
        Assert.True(cut.Find("#advance-clock").HasAttribute("disabled"));
        Assert.Contains("Only an Admin", cut.Find("#sandbox-controls-admin-only").TextContent);
        var before = controls.ClockNow;
        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.SetOutageAsync(Viewer, "eu-west-1", true));
        Assert.Contains("Admin", refused.Message);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.AdvanceClockAsync(Viewer, TimeSpan.FromDays(7)));
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.ClearAllAsync(anonymous));
        Assert.False(controls.HasOutage("eu-west-1"));
        Assert.True(controls.ClockNow - before < TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task SandboxControlsAreAbsentOutsideSandboxMode()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseSandboxAsync();
        // The same services, but no embedded sandbox registered: what an Aws-mode deployment sees.
        ctx.UseSignedInUser(Admin);
        ctx.Services.AddSingleton(sp => new SandboxControls(new EmptyServiceProvider(), sp.GetRequiredService<RegionHealth>(),
            sp.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>()));

        var cut = ctx.RenderWithPopovers<RegionsPage>();

        Assert.Empty(cut.FindAll("#sandbox-controls"));
        Assert.Empty(cut.FindAll("[id^='outage-']"));
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
