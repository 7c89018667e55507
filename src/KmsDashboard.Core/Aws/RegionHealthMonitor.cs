using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// Probes every Region once at start, then every <see cref="RegionHealthOptions.ProbeInterval"/> while a page watches
/// and every <see cref="RegionHealthOptions.IdleProbeInterval"/> while none does; a page that starts watching gets a
/// probe round at once. Fewer probes are fewer read events in the customer's CloudTrail.
/// </summary>
public sealed class RegionHealthMonitor(RegionHealth health, TimeProvider time, ILogger<RegionHealthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
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
            var watchedNow = health.IsWatched;
            var delay = Task.Delay(watchedNow ? health.ProbeInterval : health.IdleProbeInterval, time, stoppingToken);
            // While idle, a page that opens ends the wait at once.
            await (watchedNow ? delay : Task.WhenAny(delay, health.WatchedAgain)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
