using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Tests.Features.Inventory;

internal static class InventoryTestContext
{
    /// <summary>A sandbox with the demo account, a <see cref="KeyInventory"/> over it, read once.</summary>
    public static async Task<KeyInventory> UseDemoInventoryAsync(this DashboardTestContext ctx, Action<IServiceCollection>? services = null)
    {
        await ctx.UseSandboxAsync();
        ctx.Services.AddSingleton(Options.Create(new InventoryOptions { ReadLastUse = false }));
        ctx.Services.AddSingleton<KeyInventory>();
        services?.Invoke(ctx.Services);
        var inventory = ctx.Services.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None);
        return inventory;
    }

    public static KeySet KeySetWithAlias(this KeyInventory inventory, string alias) =>
        inventory.Current.KeySets.Single(s => s.Representative.Aliases.Contains(alias));
}
