using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Re-reads keys in a state they leave on their own (a replica <c>Creating</c>, both keys of a primary Region change
/// <c>Updating</c>) every <see cref="InventoryOptions.SettleInterval"/> until they settle, so pages show the outcome
/// without the user pressing Refresh. One re-read is under way at a time; it costs one DescribeKey (and the property
/// reads) per unsettled key. <c>PendingImport</c> is no drift either, but it waits for an operator to import key
/// material, possibly for ever: it is left to the regular refresh rather than read every few seconds.
/// </summary>
public sealed class TransitionalKeyWatcher(KeyInventory inventory, IOptions<InventoryOptions> options, ILogger<TransitionalKeyWatcher> logger, TimeProvider? time = null)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = inventory.Changed(Wake);
        var interval = options.Value.SettleInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            // In a cluster only the leader re-reads them (it publishes what it read); a follower would only ask it again.
            var unsettled = inventory.ReadsAws ? Unsettled(inventory.Current) : [];
            if (unsettled.Count == 0)
            {
                await _wake.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            await Task.Delay(interval, time ?? TimeProvider.System, stoppingToken).ConfigureAwait(false);
            try
            {
                // Read again what is unsettled now: a full refresh may have settled some meanwhile.
                var still = inventory.ReadsAws ? Unsettled(inventory.Current) : [];
                if (still.Count > 0) await inventory.RefreshKeysAsync(still, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Re-reading keys in a transitional state failed ({Error}); trying again in {Interval}", ex.Message, interval);
                logger.LogDebug(ex, "Re-reading keys in a transitional state failed");
            }
        }
    }

    /// <summary>The keys of <paramref name="snapshot"/> in Creating or Updating: states AWS ends by itself.</summary>
    public static IReadOnlyList<KeyRef> Unsettled(InventorySnapshot snapshot) =>
        [.. snapshot.AllKeys.Where(k => k.State is "Creating" or "Updating").Select(k => k.Ref)];

    private void Wake()
    {
        // Many notices may arrive while a wait is pending; one wake-up is enough.
        try { if (_wake.CurrentCount == 0) _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
