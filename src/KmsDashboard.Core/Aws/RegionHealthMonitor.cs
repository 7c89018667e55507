using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws;

/// <summary>Probes every Region once at start and then every <see cref="RegionHealthOptions.ProbeInterval"/>.</summary>
public sealed class RegionHealthMonitor(RegionHealth health, TimeProvider time, ILogger<RegionHealthMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(health.ProbeInterval, time);
        do
        {
            try
            {
                await health.ProbeAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Probing the Regions failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
