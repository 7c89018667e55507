using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Creates the store and loads the last findings at start, then evaluates after every new inventory snapshot (a refresh,
/// or a key re-read after an action), a couple of seconds after the last one so a burst of changes is one evaluation.
/// In a cluster only the leader evaluates, after its snapshots and when a follower asks; a follower reloads what the
/// leader stored when told, and an instance that becomes leader evaluates the snapshot its predecessor had not.
/// </summary>
internal sealed class FindingsRefreshService(FindingsService findings, FindingsStore store, KeyInventory inventory, IOptions<FindingsOptions> options,
    ILogger<FindingsRefreshService> logger, IFindingsCluster? cluster = null) : BackgroundService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wake = new SemaphoreSlim(0);
        void Wake() { if (wake.CurrentCount == 0) wake.Release(); }
        using var attached = cluster?.Attach(findings.ReloadAsync, Wake);
        try
        {
            await findings.LoadAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not load the stored findings");
        }
        var afterRefresh = options.Value.EvaluateAfterRefresh;
        if (!afterRefresh && cluster is null) return;
        InventorySnapshot? evaluated = null;
        var led = false;
        using var subscription = inventory.Changed(() =>
        {
            if (afterRefresh && inventory.Current.ReadAt is not null && !ReferenceEquals(inventory.Current, evaluated)) Wake();
        });
        if (inventory.Current.ReadAt is not null) Wake();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(stoppingToken);
                // A follower waiting for its evaluation is not kept waiting for a burst of snapshots to settle.
                if (cluster is not { HasRequests: true }) await Task.Delay(Settle, stoppingToken);
                while (wake.CurrentCount > 0) await wake.WaitAsync(stoppingToken);
                if (!findings.EvaluatesHere)
                {
                    led = false;
                    continue;
                }
                var snapshot = inventory.Current;
                if (cluster is not null && !led)
                {
                    led = true;
                    // Just became leader: the snapshot it serves was evaluated by its predecessor unless stored findings are older.
                    if (findings.Current.EvaluatedAt is { } at && snapshot.ReadAt is { } read && at >= read) evaluated = snapshot;
                }
                var asked = cluster is { HasRequests: true };
                if (!asked && (!afterRefresh || snapshot.ReadAt is null || ReferenceEquals(snapshot, evaluated))) continue;
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
