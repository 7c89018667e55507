using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Actions;

/// <summary>The demo sandbox, its inventory and the real KeyOperations (policies, journal in a temp directory) for one signed-in user.</summary>
internal static class ActionsTestContext
{
    public static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    public static readonly ClaimsPrincipal Viewer = User("vera", DashboardRoles.Viewer);
    public static readonly ClaimsPrincipal Operator = User("otto", DashboardRoles.Operator);
    public static readonly ClaimsPrincipal Admin = User("ada", DashboardRoles.Admin);

    public static async Task<KeyInventory> UseActionsAsync(this DashboardTestContext ctx, ClaimsPrincipal user, bool readOnly = false, Action<IServiceCollection>? more = null)
    {
        var data = Directory.CreateTempSubdirectory("kmsdashboard-bunit-").FullName;
        return await ctx.UseDemoInventoryAsync(services =>
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = data,
                ["Safety:ReadOnly"] = readOnly ? "true" : "false",
            }).Build());
            services.AddKeyActions(data);
            services.AddApprovals(data);   // the action dialog asks whether an action needs a second Admin
            ctx.UseSignedInUser(user);
            more?.Invoke(services);
        });
    }
}
