using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Refreshes the inventory at start and then every <see cref="InventoryOptions.RefreshInterval"/>. In a cluster the
/// leader's <c>InventoryLeadership</c> does this instead (only the instance holding the lock reads AWS).
/// </summary>
internal sealed class InventoryRefreshService(KeyInventory inventory, IOptions<InventoryOptions> options, ILogger<InventoryRefreshService> logger, TimeProvider? time = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundRefresh || inventory.ClusterStatus is not null) return;
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time ?? TimeProvider.System);
        do
        {
            try
            {
                await inventory.RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Background inventory refresh failed");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
