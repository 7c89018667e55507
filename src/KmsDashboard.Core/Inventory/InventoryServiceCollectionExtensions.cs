using KmsDashboard.Core.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Inventory;

public static class InventoryServiceCollectionExtensions
{
    /// <summary>The shared <see cref="KeyInventory"/>, its <c>Inventory</c> options and its background refresh.</summary>
    public static IServiceCollection AddInventory(this IServiceCollection services)
    {
        services.AddOptions<InventoryOptions>().BindConfiguration(InventoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton<Aws.Accounts.AwsAccounts>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<KeyInventory>();
        services.AddHostedService<InventoryRefreshService>();
        services.AddHostedService<TransitionalKeyWatcher>();
        return services;
    }
}
