using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.Drills;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Dependents;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Drills;

/// <summary>The key page's Failover drill tab on the demo sandbox with the real drill service, journal and store.</summary>
public sealed class KeyDrillTabTests
{
    private static async Task<KeyDetailContext> UseDrillsAsync(DashboardTestContext ctx, ClaimsPrincipal user, string alias = "alias/payments-prod")
    {
        var data = Directory.CreateTempSubdirectory("kmsdashboard-bunit-drills-").FullName;
        var inventory = await ctx.UseDemoInventoryAsync(services =>
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data }).Build());
            services.AddKeyActions(data);
            services.AddFailoverDrills(data);
            ctx.UseSignedInUser(user);
        });
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var keys = inventory.Current.AllKeys.Where(k => k.Aliases.Contains(alias)).ToList();
        var keyId = keys[0].KeyId;
        return new KeyDetailContext(keyId, inventory.Current.FindById(keyId), inventory.Current.FindKeySet(keyId), keys[0].Region, inventory.Current);
    }

    [Fact]
    public async Task AnOperatorRunsADrillAndSeesEveryRegionServeOnItsOwn()
    {
        await using var ctx = new DashboardTestContext();
        var key = await UseDrillsAsync(ctx, DependentsTestContext.User("otto", DashboardRoles.Operator));
        var cut = ctx.RenderWithPopovers<KeyDrillTab>(p => p.Add(x => x.Key, key));
        cut.WaitForElement("#drill-never");

        cut.Find("#drill-run").Click();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#drill-summary").GetAttribute("data-serves-alone")));
        Assert.Equal(16, cut.FindAll("#drill-matrix td.cell[data-status='Ok']").Count);
        Assert.Contains("No alias in ap-southeast-1", cut.Find("#drill-notes").TextContent);
    }

    [Fact]
    public async Task AViewerCannotStartADrillButSeesTheLastOne()
    {
        await using var ctx = new DashboardTestContext();
        var key = await UseDrillsAsync(ctx, DependentsTestContext.User("vera", DashboardRoles.Viewer));
        await ctx.Services.GetRequiredService<FailoverDrillService>()
            .RunAsync(DependentsTestContext.User("otto", DashboardRoles.Operator), key.KeyId, primaryDown: true, CancellationToken.None);

        var cut = ctx.RenderWithPopovers<KeyDrillTab>(p => p.Add(x => x.Key, key));

        cut.WaitForElement("#drill-matrix");
        Assert.True(cut.Find("#drill-run").HasAttribute("disabled"));
        Assert.NotNull(cut.Find("#drill-operator-only"));
        Assert.Contains("primary down", cut.Find("#drill-when").TextContent);
        Assert.Equal(7, cut.FindAll("#drill-matrix td.cell[data-status='Skipped']").Count);
    }

    [Fact]
    public async Task ASingleRegionKeySaysDrillsAreForKeySets()
    {
        await using var ctx = new DashboardTestContext();
        var key = await UseDrillsAsync(ctx, DependentsTestContext.User("otto", DashboardRoles.Operator), "alias/terraform-state");

        var cut = ctx.RenderWithPopovers<KeyDrillTab>(p => p.Add(x => x.Key, key));

        Assert.NotNull(cut.Find("#drill-not-multi-region"));
        Assert.Empty(cut.FindAll("#drill-run"));
    }

    [Fact]
    public async Task AnHmacKeySetSaysADrillNeedsASymmetricEncryptionKey()
    {
        await using var ctx = new DashboardTestContext();
        var key = await UseDrillsAsync(ctx, DependentsTestContext.User("otto", DashboardRoles.Operator), "alias/analytics-signing");

        var cut = ctx.RenderWithPopovers<KeyDrillTab>(p => p.Add(x => x.Key, key));

        Assert.Contains("HMAC_256", cut.Find("#drill-not-symmetric").TextContent);
        Assert.Empty(cut.FindAll("#drill-run"));
    }
}
