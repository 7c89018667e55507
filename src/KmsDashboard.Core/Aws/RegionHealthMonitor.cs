using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// Probes every Region once at start, then every <see cref="RegionHealthOptions.ProbeInterval"/> while a page watches
/// and every <see cref="RegionHealthOptions.IdleProbeInterval"/> while none does; a page that starts watching gets a
/// probe round at once. Fewer probes are fewer read events in the customer's CloudTrail. In a cluster a follower probes
/// only while a page of its own watches (it measures its own reach to each Region): its idle rounds would serve nobody,
/// as the findings that read Region health are evaluated by the leader, which keeps probing idle.
/// </summary>
public sealed class RegionHealthMonitor(RegionHealth health, TimeProvider time, ILogger<RegionHealthMonitor> logger, IInventoryCluster? cluster = null)
    : BackgroundService
{
    /// <summary>How often an idle follower looks whether it has become the leader (no AWS call).</summary>
    internal static readonly TimeSpan FollowerRecheck = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? lastRound = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var follower = cluster is { IsLeader: false };
            var idleDue = lastRound is null || time.GetUtcNow() - lastRound >= health.IdleProbeInterval;
            if (health.IsWatched || (!follower && idleDue))
            {
                try
                {
                    await health.ProbeAllAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError("Probing the Regions failed: {Error}", ex.Message);
                    logger.LogDebug(ex, "Probing the Regions failed");
                }
                lastRound = time.GetUtcNow();
            }
            var watchedNow = health.IsWatched;
            var wait = watchedNow ? health.ProbeInterval
                : follower ? (health.IdleProbeInterval < FollowerRecheck ? health.IdleProbeInterval : FollowerRecheck)
                : health.IdleProbeInterval - (time.GetUtcNow() - lastRound!.Value);
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            var delay = Task.Delay(wait, time, stoppingToken);
            // While idle, a page that opens ends the wait at once.
            await (watchedNow ? delay : Task.WhenAny(delay, health.WatchedAgain)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
