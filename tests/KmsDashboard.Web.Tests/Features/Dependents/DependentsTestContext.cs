using System.Security.Claims;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Dependents;

/// <summary>The demo sandbox, its inventory and the real dependents services (scan state in a temp directory) for one signed-in user.</summary>
internal static class DependentsTestContext
{
    public static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    public static async Task<KeyInventory> UseDependentsAsync(this DashboardTestContext ctx, ClaimsPrincipal user)
    {
        var data = Directory.CreateTempSubdirectory("kmsdashboard-bunit-dependents-").FullName;
        var inventory = await ctx.UseDemoInventoryAsync(services =>
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = data,
                // The demo's CloudTrail is long: two pages per Region keep the tab quick here.
                ["Dependents:MaxCloudTrailPagesPerRegion"] = "2",
            }).Build());
            services.AddDependents();
            ctx.UseSignedInUser(user);
        });
        // The tab reads only once the circuit is interactive (not while prerendering).
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return inventory;
    }
}
