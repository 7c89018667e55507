using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Creates the store and loads the last findings at start, then evaluates after every new inventory snapshot (a refresh,
/// or a key re-read after an action), a couple of seconds after the last one so a burst of changes is one evaluation.
/// </summary>
internal sealed class FindingsRefreshService(FindingsService findings, FindingsStore store, KeyInventory inventory, IOptions<FindingsOptions> options,
    ILogger<FindingsRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await findings.LoadAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not load the stored findings");
        }
        if (!options.Value.EvaluateAfterRefresh) return;
        var changed = new SemaphoreSlim(0);
        InventorySnapshot? evaluated = null;
        using var subscription = inventory.Changed(() =>
        {
            if (inventory.Current.ReadAt is not null && !ReferenceEquals(inventory.Current, evaluated) && changed.CurrentCount == 0) changed.Release();
        });
        if (inventory.Current.ReadAt is not null) changed.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await changed.WaitAsync(stoppingToken);
                await Task.Delay(Settle, stoppingToken);
                while (changed.CurrentCount > 0) await changed.WaitAsync(stoppingToken);
                var snapshot = inventory.Current;
                if (ReferenceEquals(snapshot, evaluated)) continue;
                evaluated = snapshot;
                await findings.EvaluateAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Evaluating the findings failed");
            }
        }
    }
}
